package io.easynet.boot.unix.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.easynet.boot.unix.ManagedUnixStreamServer;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.LineClient;
import io.easynet.boot.unix.autoconfigure.TestHandlers;
import io.easynet.boot.unix.health.UnixStreamServerHealthIndicator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code easynet} health contributor: one component per server, down when new clients cannot reach it, over
 * real sockets.
 */
@Timeout(30)
class EasynetUnixHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class,
                    EasynetUnixHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class))
            .withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void eachServerIsAComponentOfTheEasynetContributorUpWithItsPathAndConnections() {
        runner.withPropertyValues(paths()).run(context -> {
            HealthContributor easynet = context.getBean(HealthContributorRegistry.class).getContributor("easynet");
            assertThat(easynet).isInstanceOf(CompositeHealthContributor.class);
            assertThat(((CompositeHealthContributor) easynet).stream().map(HealthContributors.Entry::name))
                    .containsExactly("one", "two");
            try (LineClient client = LineClient.connect(dir.resolve("one.sock"))) {
                assertThat(client.exchange("1")).isEqualTo("1");
                Health health = health(context, "one");
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("path", dir.resolve("one.sock").toString())
                        .containsEntry("activeConnections", 1).containsKey("uptime")
                        .doesNotContainKey("reason");
            }
        });
    }

    @Test
    void deletingTheSocketFileTurnsThatServerDownWithTheReasonAndARestartBringsItBackUp() {
        runner.withPropertyValues(paths()).run(context -> {
            Files.delete(dir.resolve("one.sock"));
            assertThat(health(context, "one").getStatus()).isEqualTo(Status.DOWN);
            assertThat(health(context, "one").getDetails()).containsEntry("reason",
                    "the socket file was deleted: new clients cannot connect");
            assertThat(health(context, "two").getStatus()).isEqualTo(Status.UP);
            context.stop();
            context.start();
            assertThat(health(context, "one").getStatus()).isEqualTo(Status.UP);
            assertThat(LineClient.exchange(dir.resolve("one.sock"), "\"back\"")).isEqualTo("\"back\"");
        });
    }

    @Test
    void replacingTheSocketFileWithAnotherFileTurnsThatServerDownWithTheReason() {
        runner.withPropertyValues(paths()).run(context -> {
            Files.delete(dir.resolve("two.sock"));
            Files.writeString(dir.resolve("two.sock"), "not a socket");
            Health health = health(context, "two");
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason",
                    "the socket file was replaced by another file: new clients do not reach this server")
                    .containsEntry("activeConnections", 0);
        });
    }

    /** Interrupting the thread blocked in accept closes the listener: a close nobody asked the server for. */
    @Test
    void anAcceptLoopEndedUnderTheServerTurnsItDownWithTheCauseWhileItsClientsAreStillServed() throws Exception {
        runner.withPropertyValues(paths()).run(context -> {
            try (LineClient client = LineClient.connect(dir.resolve("one.sock"))) {
                assertThat(client.exchange("1")).isEqualTo("1");
                Thread accept = Thread.getAllStackTraces().keySet().stream()
                        .filter(thread -> thread.getName().equals("easynet-accept-one.sock")).findFirst().orElseThrow();
                accept.interrupt();
                accept.join(Duration.ofSeconds(10));

                Health health = health(context, "one");
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails())
                        .containsEntry("reason", UnixStreamServerHealthIndicator.ACCEPT_LOOP_ENDED)
                        .containsEntry("acceptFailure", "java.nio.channels.ClosedByInterruptException")
                        .containsEntry("failedAccepts", 1L).containsEntry("activeConnections", 1);
                assertThat(health(context, "two").getStatus()).isEqualTo(Status.UP);
                assertThat(client.exchange("2")).isEqualTo("2");
            }
        });
    }

    @Test
    void stoppedServersAreDownBecauseTheyAreNotRunning() {
        runner.withPropertyValues(paths()).run(context -> {
            context.stop();
            Health health = health(context, "one");
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).isEqualTo(Map.of("path", dir.resolve("one.sock").toString(),
                    "reason", "the server is not running"));
        });
    }

    @Test
    void uptimeIsAnIsoDurationInWholeSecondsSinceTheServerStarted() {
        runner.withPropertyValues(paths()).run(context -> {
            ManagedUnixStreamServer<?, ?> server = context.getBean(UnixStreamServers.class).get("one");
            Instant startedAt = server.getServer().orElseThrow().startedAt().orElseThrow();
            Clock later = Clock.fixed(startedAt.plusSeconds(3723).plusMillis(900), ZoneOffset.UTC);
            assertThat(new UnixStreamServerHealthIndicator(server, later).health().getDetails())
                    .containsEntry("uptime", "PT1H2M3S");
        });
    }

    @Test
    void backsOffWhenTheIndicatorIsDisabled() {
        runner.withPropertyValues(paths()).withPropertyValues("management.health.easynet.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("easynetHealthContributor"));
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class,
                        EasynetUnixHealthContributorAutoConfiguration.class))
                .withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class).withPropertyValues(paths())
                .withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("easynetHealthContributor"));
    }

    private String[] paths() {
        return new String[] { "easynet.unix.servers.one.path=" + dir.resolve("one.sock"),
                "easynet.unix.servers.two.path=" + dir.resolve("two.sock") };
    }

    private static Health health(AssertableApplicationContext context, String server) {
        CompositeHealthContributor easynet = context.getBean("easynetHealthContributor",
                CompositeHealthContributor.class);
        HealthContributor component = easynet.getContributor(server);
        assertThat(component).as("component %s", server).isInstanceOf(HealthIndicator.class);
        return ((HealthIndicator) component).health();
    }
}
