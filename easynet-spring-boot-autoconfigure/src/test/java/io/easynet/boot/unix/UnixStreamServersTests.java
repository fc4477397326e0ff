package io.easynet.boot.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry on its own, without an application context. */
@Timeout(30)
class UnixStreamServersTests {

    @TempDir
    Path dir;

    private final List<Object> events = new ArrayList<>();

    @Test
    void whenOneServerFailsToStartTheOnesStartedBeforeAreStoppedBeforeTheFailureIsThrown() {
        UnixStreamServers servers = new UnixStreamServers(
                () -> List.of(factory("one", dir.resolve("one.sock")), factory("two", dir.resolve("no/two.sock"))),
                null, events::add);
        assertThatThrownBy(servers::start).isInstanceOf(UnixStreamServerException.class)
                .hasMessageStartingWith("Unix stream server 'two' failed to start on " + dir.resolve("no/two.sock"));
        assertThat(servers.get("one").isRunning()).isFalse();
        assertThat(servers.get("one").getServer()).isEmpty();
        assertThat(dir.resolve("one.sock")).doesNotExist();
        assertThat(servers.isRunning()).isFalse();
        assertThat(events).singleElement().isInstanceOfSatisfying(UnixStreamServerStartedEvent.class,
                event -> assertThat(event.getName()).isEqualTo("one"));
    }

    @Test
    void serversAreFoundByNameAndAnUnknownNameListsTheKnownOnes() {
        UnixStreamServers servers = new UnixStreamServers(
                () -> List.of(factory("one", dir.resolve("one.sock")), factory("two", dir.resolve("two.sock"))),
                null, events::add);
        assertThat(servers.get("two").getPath()).isEqualTo(dir.resolve("two.sock"));
        assertThatThrownBy(() -> servers.get("three")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("no Unix stream server is called 'three'; the servers are [one, two]");
    }

    @Test
    void stopWithACallbackRunsTheCallbackOnceEveryServerHasStopped() throws Exception {
        UnixStreamServers servers = new UnixStreamServers(
                () -> List.of(factory("one", dir.resolve("one.sock")), factory("two", dir.resolve("two.sock"))),
                null, events::add);
        servers.start();
        assertThat(servers.isRunning()).isTrue();
        var stopped = new java.util.concurrent.CompletableFuture<Boolean>();
        servers.stop(() -> stopped.complete(!dir.resolve("one.sock").toFile().exists()
                && !dir.resolve("two.sock").toFile().exists() && !servers.isRunning()));
        assertThat(stopped.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStartDuringADrainWaitsForItSoTwoServiceLifetimesNeverOverlap() throws Exception {
        var events = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var busy = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        StreamRequestHandler<String, String> slow = new StreamRequestHandler<>() {
            @Override
            public void handle(io.easynet.server.StreamClient<String> client,
                    io.easynet.server.RequestStream<String> requests) throws Exception {
                String request = requests.receive();
                busy.countDown();
                release.await();
                client.send(request);
            }

            @Override
            public void serviceInit(io.easynet.server.ServiceContext<String, String> context) {
                events.add("serviceInit");
                context.register(() -> events.add("closed"));
            }
        };
        Path path = dir.resolve("slow.sock");
        UnixStreamServers servers = new UnixStreamServers(() -> List.of(new UnixStreamServerFactory<>("slow", path,
                StreamProtocol.of(new LineSerializer()), slow, ServerOptions.defaults())), null, this.events::add);
        servers.start();
        try (var client = io.easynet.client.UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer()))) {
            client.send("work");
            assertThat(busy.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread stopping = Thread.ofPlatform().start(servers::stop);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !path.toFile().exists());
            assertThat(servers.isRunning()).as("draining counts as running").isTrue();
            Thread starting = Thread.ofPlatform().start(servers::start);
            // atMost only bounds how soon the checks run, well above during: on a loaded machine they may be late
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300))
                    .atMost(java.time.Duration.ofSeconds(10)).until(starting::isAlive);
            assertThat(events).containsExactly("serviceInit");
            release.countDown();
            assertThat(client.receive(java.time.Duration.ofSeconds(5))).isEqualTo("work");
            stopping.join(java.time.Duration.ofSeconds(10));
            starting.join(java.time.Duration.ofSeconds(10));
        }
        assertThat(events).containsExactly("serviceInit", "closed", "serviceInit");
        assertThat(servers.isRunning()).isTrue();
        servers.stop();
    }

    private static UnixStreamServerFactory<String, String> factory(String name, Path path) {
        StreamRequestHandler<String, String> echo = (client, requests) -> client.send(requests.receive());
        return new UnixStreamServerFactory<>(name, path, StreamProtocol.of(new LineSerializer()), echo,
                ServerOptions.defaults());
    }
}
