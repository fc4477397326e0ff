package io.easynet.boot.unix.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.list;
import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.metrics.EasynetUnixMetricsAutoConfiguration;
import io.easynet.boot.unix.health.SchedulerWatchdogHealthIndicator;
import io.easynet.scheduler.SchedulerWatchdog;
import io.easynet.scheduler.SchedulerWatchdogOptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The scheduler watchdog in an application: one bean from {@code easynet.unix.scheduler-watchdog.*}, health
 * {@code easynetScheduler} down while code holds every carrier thread, and its meters.
 */
@Timeout(90)
class SchedulerWatchdogAutoConfigurationTests {

    private static final int CARRIERS = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class,
                    EasynetUnixHealthContributorAutoConfiguration.class, EasynetUnixMetricsAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void theWatchdogRunsByDefaultWithTheCoreDefaultsAndReportsUp() {
        runner.run(context -> {
            SchedulerWatchdog watchdog = context.getBean(SchedulerWatchdog.class);
            assertThat(watchdog.options()).isEqualTo(SchedulerWatchdogOptions.defaults());
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsExactlyEntriesOf(Map.of("threshold", "PT5S"));
            assertThat(context.getBean(MeterRegistry.class).get("easynet.unix.scheduler.stalls").functionCounter()
                    .count()).isZero();
        });
    }

    @Test
    void disabledThereIsNoWatchdogNoHealthIndicatorAndNoMeter() {
        runner.withPropertyValues("easynet.unix.scheduler-watchdog.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(SchedulerWatchdog.class)
                    .doesNotHaveBean(EasynetUnixHealthContributorAutoConfiguration.SCHEDULER_BEAN_NAME);
            assertThat(context.getBean(MeterRegistry.class).find("easynet.unix.scheduler.stalls").meter()).isNull();
        });
    }

    @Test
    void aThresholdThatIsNotPositiveFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("easynet.unix.scheduler-watchdog.threshold=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessage("Property easynet.unix.scheduler-watchdog.threshold with value 'PT0S' is invalid: "
                            + "must be positive");
        });
    }

    @Test
    void codeHoldingEveryCarrierTurnsHealthDownNamingItsThreadsAndCountsOneStallUntilItLetsGo() {
        // Short enough for a test, long enough that a loaded machine does not stall the scheduler that long.
        runner.withPropertyValues("easynet.unix.scheduler-watchdog.threshold=2s",
                "easynet.unix.scheduler-watchdog.check-period=200ms").run(context -> {
                    List<RandomAccessFile> fifos = new ArrayList<>();
                    try {
                        for (int i = 0; i < CARRIERS; i++) {
                            fifos.add(pinCarrier(dir.resolve("fifo-" + i), "pinner-" + i));
                        }
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> health(context).getStatus().equals(Status.DOWN));
                        Health down = health(context);
                        assertThat(down.getDetails()).containsEntry("reason",
                                SchedulerWatchdogHealthIndicator.STALLED).containsEntry("threshold", "PT2S")
                                .containsKey("stalledFor");
                        assertThat(down.getDetails().get("carriersHeldBy")).asInstanceOf(list(String.class))
                                .map(held -> held.substring(0, held.indexOf(" on ForkJoinPool-")))
                                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, CARRIERS)
                                        .mapToObj(i -> "pinner-" + i).toList());
                        assertThat(context.getBean(MeterRegistry.class).get("easynet.unix.scheduler.stalls")
                                .functionCounter().count()).isEqualTo(1);
                    } finally {
                        for (RandomAccessFile fifo : fifos) {
                            fifo.write('x');
                            fifo.close();
                        }
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> health(context).getStatus().equals(Status.UP));
                    assertThat(context.getBean(MeterRegistry.class).get("easynet.unix.scheduler.stalled").gauge()
                            .value()).isZero();
                });
    }

    /**
     * Starts a virtual thread that reads a FIFO through a plain {@link FileInputStream}: blocked in {@code read(2)},
     * it holds its carrier until a byte arrives. The FIFO is opened read-write, so its own handle is the writer.
     */
    private static RandomAccessFile pinCarrier(Path path, String name) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
        RandomAccessFile fifo = new RandomAccessFile(path.toFile(), "rw");
        Thread.ofVirtual().name(name).start(() -> {
            try {
                new FileInputStream(fifo.getFD()).read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return fifo;
    }

    private static Health health(AssertableApplicationContext context) {
        return ((HealthIndicator) context.getBean(HealthContributorRegistry.class)
                .getContributor("easynetScheduler")).health();
    }
}
