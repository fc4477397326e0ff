package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerException;
import io.easynet.boot.unix.UnixStreamServerStartedEvent;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.server.RequestStream;
import io.easynet.server.ServiceContext;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.mock.env.MockEnvironment;

/** How managed servers follow the application context: start, stop, restart, failure and graceful drain. */
@Timeout(30)
class UnixStreamServersLifecycleTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void serversStartWithTheContextAndStopWithItRemovingTheSocketFile() {
        Path socket = dir.resolve("echo.sock");
        ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + socket)
                .run(context -> {
                    assertThat(socket).exists();
                    assertThat(context.getBean(UnixStreamServers.class).get("echo").isRunning()).isTrue();
                    closed[0] = context;
                });
        assertThat(closed[0].isActive()).isFalse();
        assertThat(socket).doesNotExist();
    }

    @Test
    void stoppingAndStartingTheContextReleasesAndReacquiresTheSocket() {
        Path socket = dir.resolve("echo.sock");
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + socket)
                .run(context -> {
                    UnixStreamServers servers = context.getBean(UnixStreamServers.class);
                    var first = servers.get("echo").getServer().orElseThrow();
                    context.stop();
                    assertThat(servers.isRunning()).isFalse();
                    assertThat(socket).doesNotExist();
                    context.start();
                    assertThat(servers.isRunning()).isTrue();
                    assertThat(servers.get("echo").getServer()).get().isNotSameAs(first);
                    assertThat(LineClient.exchange(socket, "\"again\"")).isEqualTo("\"again\"");
                });
    }

    @Test
    void clientsOfARestartedServerAreNumberedOnSoTheReusedListenersNeverSeeAnIdTwice() {
        Path socket = dir.resolve("whoami.sock");
        runner.withUserConfiguration(TestHandlers.MethodsConfiguration.class)
                .withPropertyValues("easynet.unix.servers.whoami.path=" + socket,
                        "easynet.unix.servers.whoami.serializer=line",
                        "easynet.unix.servers.double.path=" + dir.resolve("double.sock"),
                        "easynet.unix.servers.note.path=" + dir.resolve("note.sock"))
                .run(context -> {
                    assertThat(LineClient.exchange(socket, "before")).isEqualTo("before client#1");
                    context.stop();
                    context.start();
                    assertThat(LineClient.exchange(socket, "after")).isEqualTo("after client#2");
                });
    }

    @Test
    void aNewContextCanBindThePathAClosedOneReleased() {
        Path socket = dir.resolve("echo.sock");
        for (int round = 0; round < 2; round++) {
            String value = String.valueOf(round);
            runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                    .withPropertyValues("easynet.unix.servers.echo.path=" + socket)
                    .run(context -> assertThat(LineClient.exchange(socket, value)).isEqualTo(value));
        }
    }

    @Test
    void serviceInitRunsAtStartAndWhatItRegisteredClosesAtStop() {
        runner.withUserConfiguration(ServiceInitConfiguration.class)
                .withPropertyValues("easynet.unix.servers.init.path=" + dir.resolve("init.sock"))
                .run(context -> {
                    ServiceInitConfiguration events = context.getBean(ServiceInitConfiguration.class);
                    assertThat(events.events).containsExactly("serviceInit");
                    context.stop();
                    assertThat(events.events).containsExactly("serviceInit", "closed");
                });
    }

    @Test
    void aServerThatFailsToStartFailsTheContextAndStopsTheServersStartedBeforeIt() {
        runner.withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class)
                .withPropertyValues("easynet.unix.servers.one.path=" + dir.resolve("one.sock"),
                        "easynet.unix.servers.two.path=" + dir.resolve("missing/two.sock"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining(dir.resolve("missing").toString());
                    assertThat(context.getStartupFailure()).cause().isInstanceOf(UnixStreamServerException.class)
                            .hasMessageStartingWith("Unix stream server 'two' failed to start on "
                                    + dir.resolve("missing/two.sock"));
                    assertThat(dir.resolve("one.sock")).doesNotExist();
                });
    }

    @Test
    void eachStartedServerPublishesAnEventAndItsLocalPathProperty() {
        runner.withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class, EventsConfiguration.class)
                .withPropertyValues("easynet.unix.servers.one.path=" + dir.resolve("one.sock"),
                        "easynet.unix.servers.two.path=" + dir.resolve("two.sock"))
                .run(context -> {
                    assertThat(context.getBean(EventsConfiguration.class).started)
                            .containsExactly("one " + dir.resolve("one.sock"), "two " + dir.resolve("two.sock"));
                    assertThat(context.getEnvironment().getProperty("local.easynet.unix.two.path"))
                            .isEqualTo(dir.resolve("two.sock").toString());
                });
    }

    @Test
    void lazyInitializationStillStartsTheServersAndTheirHandlers() {
        runner.withInitializer(context -> context.addBeanFactoryPostProcessor(
                        new LazyInitializationBeanFactoryPostProcessor()))
                .withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                .run(context -> assertThat(LineClient.exchange(dir.resolve("echo.sock"), "{}")).isEqualTo("{}"));
    }

    @Test
    void closingTheContextLetsARequestInFlightFinishAndItsResponseArrive() {
        runner.withUserConfiguration(SlowConfiguration.class)
                .withPropertyValues("easynet.unix.servers.slow.path=" + dir.resolve("slow.sock"),
                        "easynet.unix.servers.slow.shutdown.grace-period=10s")
                .run(context -> {
                    SlowConfiguration slow = context.getBean(SlowConfiguration.class);
                    try (LineClient client = LineClient.connect(dir.resolve("slow.sock"))) {
                        client.send("\"work\"");
                        assertThat(slow.busy.await(5, TimeUnit.SECONDS)).isTrue();
                        Thread closing = Thread.ofPlatform().start(context::close);
                        await().atMost(Duration.ofSeconds(5)).until(() -> !dir.resolve("slow.sock").toFile().exists());
                        assertThat(closing.isAlive()).isTrue();
                        slow.release.countDown();
                        assertThat(client.receive()).isEqualTo("\"work done\"");
                        closing.join(Duration.ofSeconds(10));
                        assertThat(closing.isAlive()).isFalse();
                    }
                });
    }

    @Test
    void closeWaitsForTheDrainEvenBeyondTheConfiguredPhaseTimeoutAndDestroysBeansAfterIt() {
        runner.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
                .withUserConfiguration(SlowConfiguration.class)
                .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s",
                        "easynet.unix.servers.slow.path=" + dir.resolve("slow.sock"),
                        "easynet.unix.servers.slow.shutdown.grace-period=10s")
                .run(context -> {
                    SlowConfiguration slow = context.getBean(SlowConfiguration.class);
                    try (LineClient client = LineClient.connect(dir.resolve("slow.sock"))) {
                        client.send("\"work\"");
                        assertThat(slow.busy.await(5, TimeUnit.SECONDS)).isTrue();
                        Thread closing = Thread.ofPlatform().start(context::close);
                        // atMost only bounds how soon the checks run: on a loaded machine they may be late
                        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                                .until(closing::isAlive);
                        assertThat(slow.destroyed).isFalse();
                        slow.release.countDown();
                        assertThat(client.receive()).isEqualTo("\"work done\"");
                        closing.join(Duration.ofSeconds(10));
                        assertThat(slow.destroyed).isTrue();
                    }
                });
    }

    @Test
    void thePhaseTimeoutCoversTheLongestGracePeriodAndTheForcedStop() {
        assertThat(new ShutdownPhaseTimeout(new MockEnvironment()
                .withProperty("easynet.unix.servers.a.shutdown.grace-period", "50s")
                .withProperty("easynet.unix.defaults.shutdown.grace-period", "5s")).timeout())
                .isEqualTo(Duration.ofSeconds(50 + 2 + 5));
        assertThat(new ShutdownPhaseTimeout(new MockEnvironment()
                .withProperty("spring.lifecycle.timeout-per-shutdown-phase", "2m")).timeout())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(new ShutdownPhaseTimeout(new MockEnvironment()).timeout()).isEqualTo(Duration.ofSeconds(30 + 2 + 5));
        assertThat(new ShutdownPhaseTimeout(new MockEnvironment()
                .withProperty("easynet.unix.defaults.shutdown.grace-period", "5s")
                .withProperty("easynet.unix.servers.a.path", "/tmp/a.sock")).timeout())
                .as("a server without a grace period of its own inherits the defaults' 5 s, not the core's 30 s: "
                        + "5 + 2 + 5 s fits in Boot's 30 s phase")
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Configuration(proxyBeanMethods = false)
    static class ServiceInitConfiguration {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Bean
        @UnixStreamHandler("init")
        StreamRequestHandler<JsonNode, JsonNode> initHandler() {
            return new StreamRequestHandler<>() {
                @Override
                public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
                    client.send(requests.receive());
                }

                @Override
                public void serviceInit(ServiceContext<JsonNode, JsonNode> context) {
                    events.add("serviceInit");
                    context.register(() -> events.add("closed"));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EventsConfiguration {

        final List<String> started = new CopyOnWriteArrayList<>();

        @EventListener
        void onStarted(UnixStreamServerStartedEvent event) {
            started.add(event.getName() + " " + event.getPath());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowConfiguration {

        final CountDownLatch busy = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        volatile boolean destroyed;

        @Bean
        AutoCloseable dependency() {
            return () -> destroyed = true;
        }

        @Bean
        @UnixStreamHandler("slow")
        StreamRequestHandler<String, String> slowHandler() {
            return (client, requests) -> {
                String request = requests.receive();
                busy.countDown();
                release.await();
                client.send(request + " done");
            };
        }
    }
}
