package io.easynet.boot.unix.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;

import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties;
import io.easynet.micrometer.PerClientMetrics;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.micrometer.ServerObservationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Meters and observations of the managed servers, over real sockets, with and without Boot's Micrometer support. */
@Timeout(30)
class EasynetUnixMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class,
                    EasynetUnixMetricsAutoConfiguration.class, EasynetUnixObservationAutoConfiguration.class))
            .withUserConfiguration(MetricsTestHandlers.EchoConfiguration.class);

    /** Boot's own Micrometer auto-configurations, which make the registries as an application gets them. */
    private final AutoConfigurations bootMicrometer = AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            ObservationAutoConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void bootsMeterRegistryGetsEachServersMetersTaggedWithItsNameAndTheClientsWhileConnected() {
        runner.withConfiguration(bootMicrometer).withPropertyValues(echoPath()).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (var client = MetricsTestHandlers.connect(dir.resolve("echo.sock"))) {
                client.send("ping");
                assertThat(client.receive()).isEqualTo("ping");
                await().untilAsserted(() -> assertThat(registry.get("easynet.unix.client.packets.sent")
                        .tags("server", "echo", "client", "client#1").counter().count()).isEqualTo(1));
                assertThat(registry.get("easynet.unix.packets.received").tag("server", "echo").counter().count())
                        .isEqualTo(1);
                assertThat(registry.get("easynet.unix.data.received").tag("server", "echo").counter().count())
                        .isEqualTo(5);
            }
            await().until(() -> registry.find("easynet.unix.client.packets.sent").counter() == null);
            assertThat(registry.get("easynet.unix.connections.closed").tags("server", "echo", "reason", "normal")
                    .counter().count()).isEqualTo(1);
        });
    }

    @Test
    void withBootsMetricsAndObservationsTheObservationsAreTimedUnderTheirOwnNamesToo() {
        runner.withConfiguration(bootMicrometer).withPropertyValues(echoPath()).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            try (var client = MetricsTestHandlers.connect(dir.resolve("echo.sock"))) {
                client.send("ping");
                assertThat(client.receive()).isEqualTo("ping");
            }
            await().until(() -> registry.find("easynet.unix.connection").tags("server", "echo", "reason", "normal")
                    .timer() != null);
            assertThat(registry.get("easynet.unix.request").tag("server", "echo").timer().count()).isEqualTo(1);
            assertThat(registry.get("easynet.unix.requests").tag("server", "echo").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void withoutARegistryOrMicrometerNothingIsInstalled() {
        runner.withPropertyValues(echoPath()).run(context -> {
            assertThat(context).doesNotHaveBean("easynetUnixMetricsCustomizer")
                    .doesNotHaveBean("easynetUnixObservationCustomizer");
            assertThat(MetricsTestHandlers.exchange(dir.resolve("echo.sock"), "ping")).isEqualTo("ping");
        });
        runner.withBean(SimpleMeterRegistry.class).withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
                .withPropertyValues(echoPath()).run(context -> assertThat(context)
                        .doesNotHaveBean("easynetUnixMetricsCustomizer")
                        .doesNotHaveBean("easynetUnixObservationCustomizer"));
    }

    @Test
    void perClientSettingsAreInheritedFromTheDefaultsAndOverriddenPerServer() {
        runner.withBean(SimpleMeterRegistry.class).withUserConfiguration(MetricsTestHandlers.OtherConfiguration.class)
                .withPropertyValues(echoPath(), "easynet.unix.servers.other.path=" + dir.resolve("other.sock"),
                        "easynet.unix.defaults.metrics.per-client=false",
                        "easynet.unix.servers.other.metrics.per-client=true",
                        "easynet.unix.servers.other.metrics.per-client-limit=1")
                .run(context -> {
                    EasynetUnixProperties properties = context.getBean(EasynetUnixProperties.class);
                    assertThat(properties.determinePerClientMetrics("echo"))
                            .isEqualTo(new PerClientMetrics(false, PerClientMetrics.DEFAULT_LIMIT));
                    assertThat(properties.determinePerClientMetrics("other")).isEqualTo(new PerClientMetrics(true, 1));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    try (var echo = MetricsTestHandlers.connect(dir.resolve("echo.sock"));
                            var other = MetricsTestHandlers.connect(dir.resolve("other.sock"))) {
                        echo.send("1");
                        other.send("2");
                        assertThat(echo.receive()).isEqualTo("1");
                        assertThat(other.receive()).isEqualTo("2");
                        assertThat(registry.find("easynet.unix.client.packets.received").tag("server", "other")
                                .counter()).isNotNull();
                        assertThat(registry.find("easynet.unix.client.packets.received").tag("server", "echo")
                                .counter()).isNull();
                        assertThat(registry.get("easynet.unix.packets.received").tag("server", "echo").counter()
                                .count()).isEqualTo(1);
                    }
                });
    }

    @Test
    void negativePerClientLimitFailsNamingThePropertyItCameFrom() {
        runner.withBean(SimpleMeterRegistry.class)
                .withPropertyValues(echoPath(), "easynet.unix.defaults.metrics.per-client-limit=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                                assertThat(invalid.getName())
                                        .isEqualTo("easynet.unix.defaults.metrics.per-client-limit");
                                assertThat(invalid.getValue()).isEqualTo(-1);
                                assertThat(invalid.getReason()).isEqualTo(
                                        "must not be negative; set per-client: false to turn per-client meters off");
                            });
                });
    }

    @Test
    void observationRegistryGetsEachConnectionAndRequestWithTheConventionBeansApplied() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(TestObservationRegistry.class, () -> registry)
                .withUserConfiguration(MetricsTestHandlers.RequestConventionConfiguration.class)
                .withPropertyValues(echoPath()).run(context -> {
                    assertThat(context).doesNotHaveBean("easynetUnixMetricsCustomizer");
                    try (var client = MetricsTestHandlers.connect(dir.resolve("echo.sock"))) {
                        client.send("ping");
                        assertThat(client.receive()).isEqualTo("ping");
                    }
                    await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                            .hasObservationWithNameEqualTo("easynet.unix.connection").that().hasBeenStopped()
                            .hasLowCardinalityKeyValue("server", "echo"));
                    TestObservationRegistryAssert.assertThat(registry)
                            .hasObservationWithNameEqualTo("echo.request").that().hasBeenStopped()
                            .hasLowCardinalityKeyValue("server", "echo");
                });
    }

    @Test
    void customizerBeansOfTheApplicationNamedLikeTheAutoConfiguredOnesReplaceThem() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner.withBean(SimpleMeterRegistry.class).withBean(TestObservationRegistry.class, () -> observations)
                .withUserConfiguration(OwnCustomizersConfiguration.class).withPropertyValues(echoPath())
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(MetricsTestHandlers.exchange(dir.resolve("echo.sock"), "ping")).isEqualTo("ping");
                    // the request observation starts before the handler answers
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasNumberOfObservationsWithNameEqualTo("easynet.unix.request", 1)
                            .hasObservationWithNameEqualTo("easynet.unix.request").that()
                            .hasLowCardinalityKeyValue("server", "echo-own");
                    assertThat(registry.find("easynet.unix.packets.received").counters()).singleElement()
                            .satisfies(counter -> assertThat(counter.getId().getTag("team")).isEqualTo("payments"));
                    assertThat(registry.find("easynet.unix.client.packets.received").counters()).isEmpty();
                });
    }

    private String echoPath() {
        return "easynet.unix.servers.echo.path=" + dir.resolve("echo.sock");
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCustomizersConfiguration {

        @Bean
        UnixStreamServerCustomizer easynetUnixMetricsCustomizer(MeterRegistry registry) {
            return factory -> factory.addListener(new ServerMetricsListener(registry,
                    Tags.of("server", factory.getName(), "team", "payments"), PerClientMetrics.off()));
        }

        @Bean
        UnixStreamServerCustomizer easynetUnixObservationCustomizer(ObservationRegistry registry) {
            return factory -> factory.addListener(new ServerObservationListener(registry,
                    factory.getName() + "-own"));
        }
    }

}
