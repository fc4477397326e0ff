package io.easynet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.LogCapture;
import io.easynet.server.RecvParams;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The meters of a server after real traffic: exact figures for scripted sessions, and per-client meters' lives. */
@Timeout(20)
class ServerMetricsListenerTest {

    /** The server's own meters: active, accepted, 3 rejected, 4 closed, 5 traffic, 3 error and 8 limit meters. */
    private static final int SERVER_METERS = 25;

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    /** Echoes, answers a bad packet with "bad", waits for nothing on "wait" and fails on "boom". */
    private static final StreamRequestHandler<String, String> SCRIPTED = (client, requests) -> {
        String request;
        try {
            request = requests.receive();
        } catch (StreamProtocolParseException e) {
            client.send("bad");
            return;
        }
        switch (request) {
            case "wait" -> {
                try {
                    requests.receive(RecvParams.timeout(Duration.ofMillis(20)));
                } catch (SocketTimeoutException e) {
                    client.send("timed out");
                }
            }
            case "boom" -> throw new IllegalStateException("boom");
            default -> client.send("echo " + request);
        }
    };

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void scriptedSessionGivesExactFiguresAndTheClientsOwnMetersGoWhenItDisconnects() throws Exception {
        var server = start("echo", SCRIPTED, ServerOptions.builder().maxPacketSize(8).build(),
                PerClientMetrics.defaults());
        assertThat(registry.getMeters()).hasSize(SERVER_METERS);
        try (var logs = LogCapture.of("io.easynet.server"); server;
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            exchange(client, "hello", "echo hello");
            exchange(client, "far too long", "bad");
            exchange(client, "wait", "timed out");
            exchange(client, "hi", "echo hi");
            await().untilAsserted(() -> {
                assertThat(clientCount("data.received", "client#1")).isEqualTo(6 + 13 + 5 + 3);
                assertThat(clientCount("data.sent", "client#1")).isEqualTo(11 + 4 + 10 + 8);
                assertThat(clientCount("packets.received", "client#1")).isEqualTo(3);
                assertThat(clientCount("packets.sent", "client#1")).isEqualTo(4);
                // "hi" is complete once the handler asks for the next request
                assertThat(registry.get("easynet.unix.client.requests").tag("client", "client#1").timer().count())
                        .isEqualTo(3);
            });
            assertThat(registry.getMeters()).hasSize(SERVER_METERS + ServerMetricsListener.METERS_PER_CLIENT);
            assertThat(gauge("echo")).isEqualTo(1);
            client.send("boom");
            await().until(() -> count("connections.closed", "echo", "reason", "error") == 1);
        }
        assertThat(gauge("echo")).isZero();
        assertThat(count("connections.accepted", "echo")).isEqualTo(1);
        assertThat(count("connections.rejected", "echo", "reason", "shutdown")).isZero();
        assertThat(count("connections.rejected", "echo", "reason", "error")).isZero();
        assertThat(count("connections.closed", "echo", "reason", "normal")).isZero();
        assertThat(count("connections.closed", "echo", "reason", "timeout")).isZero();
        assertThat(count("connections.closed", "echo", "reason", "shutdown")).isZero();
        assertThat(count("data.received", "echo")).isEqualTo(6 + 13 + 5 + 3 + 5);
        assertThat(count("data.sent", "echo")).isEqualTo(11 + 4 + 10 + 8);
        assertThat(count("packets.received", "echo")).isEqualTo(4);
        assertThat(count("packets.sent", "echo")).isEqualTo(4);
        // hello, wait and hi completed at the next receive, boom when the session ended
        assertThat(registry.get("easynet.unix.requests").tag("server", "echo").timer().count()).isEqualTo(4);
        assertThat(count("parse.errors", "echo")).isEqualTo(1);
        assertThat(count("receive.timeouts", "echo")).isEqualTo(1);
        assertThat(count("handler.errors", "echo")).isEqualTo(1);
        assertThat(count("limits.reached", "echo", "limit", "packet-size")).isEqualTo(1);
        assertThat(count("limits.reached", "echo", "limit", "receive-timeout")).isEqualTo(1);
        assertThat(count("limits.reached", "echo", "limit", "idle-timeout")).isZero();
        assertThat(registry.getMeters()).hasSize(SERVER_METERS)
                .noneMatch(meter -> meter.getId().getName().startsWith("easynet.unix.client."));
        assertThat(registry.get("easynet.unix.data.received").counter().getId().getBaseUnit()).isEqualTo("bytes");
    }

    @Test
    void closesAreCountedByReasonAndTheActiveGaugeFollowsLiveConnections() throws Exception {
        try (var idle = start("idle", echo(), ServerOptions.builder().idleTimeout(Duration.ofMillis(50))
                .build(), PerClientMetrics.defaults()); var silent = UnixStreamClient.connect(idle.path(), LINES)) {
            await().untilAsserted(() -> {
                assertThat(count("connections.closed", "idle", "reason", "timeout")).isEqualTo(1);
                assertThat(count("limits.reached", "idle", "limit", "idle-timeout")).isEqualTo(1);
                assertThat(gauge("idle")).isZero();
            });
        }
        var server = start("main", echo(), ServerOptions.defaults(), PerClientMetrics.defaults());
        try (var leaving = UnixStreamClient.connect(server.path(), LINES);
                var staying = UnixStreamClient.connect(server.path(), LINES)) {
            await().until(() -> gauge("main") == 2);
            exchange(leaving, "bye", "bye");
            leaving.close();
            await().untilAsserted(() -> {
                assertThat(count("connections.closed", "main", "reason", "normal")).isEqualTo(1);
                assertThat(gauge("main")).isEqualTo(1);
            });
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(count("connections.closed", "main", "reason", "shutdown")).isEqualTo(1);
        assertThat(count("connections.accepted", "main")).isEqualTo(2);
        assertThat(gauge("main")).isZero();
    }

    @Test
    void connectionTheServerCannotSetUpCountsAsRejectedNotAccepted() throws Exception {
        ServerOptions noThreads = ServerOptions.builder().clientThreadFactory(task -> null).build();
        try (var logs = LogCapture.of("io.easynet.server");
                var server = start("broken", echo(), noThreads, PerClientMetrics.defaults());
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            await().until(() -> count("connections.rejected", "broken", "reason", "error") == 1);
        }
        assertThat(count("connections.accepted", "broken")).isZero();
        assertThat(gauge("broken")).isZero();
    }

    @Test
    void clientWhoseThreadCannotStartIsRejectedOnceAndForgottenAndTheNextIsServed() throws Exception {
        var threadsMade = new AtomicInteger();
        // the first "new" thread is already started, so starting it throws IllegalThreadStateException
        ThreadFactory startedFirst = task -> threadsMade.getAndIncrement() == 0 ? Thread.ofVirtual().start(() -> { })
                : Thread.ofVirtual().unstarted(task);
        ServerOptions options = ServerOptions.builder().maxConnections(1).clientThreadFactory(startedFirst).build();
        try (var logs = LogCapture.of("io.easynet.server");
                var server = start("broken", echo(), options, PerClientMetrics.defaults());
                var refused = UnixStreamClient.connect(server.path(), LINES)) {
            await().until(() -> count("connections.rejected", "broken", "reason", "error") == 1);
            assertThat(server.clients()).isEmpty();
            assertThat(logs.messages(Level.ERROR)).containsExactly("Could not serve a new client on " + server.path()
                    + "; closing its connection | java.lang.IllegalThreadStateException: Already started");
            // the one connection permit is free again
            try (var next = UnixStreamClient.connect(server.path(), LINES)) {
                exchange(next, "ping", "ping");
                assertThat(server.clients()).extracting(StreamClient::id).containsExactly("client#2");
            }
        }
        assertThat(count("connections.rejected", "broken", "reason", "error")).isEqualTo(1);
        assertThat(count("connections.accepted", "broken")).isEqualTo(1);
    }

    @Test
    void clientsBeyondTheLimitCountOnlyInTheServersMetersUntilASlotIsFree() throws Exception {
        try (var server = start("echo", echo(), ServerOptions.defaults(), new PerClientMetrics(true, 1));
                var first = UnixStreamClient.connect(server.path(), LINES)) {
            // the first is served (so counted as connected) before the second connects
            exchange(first, "one", "one");
            try (var second = UnixStreamClient.connect(server.path(), LINES)) {
                exchange(second, "two", "two");
                await().until(() -> count("packets.sent", "echo") == 2);
                assertThat(clientCount("packets.sent", "client#1")).isEqualTo(1);
                assertThat(clientMeters("client#2")).isEmpty();
                first.close();
                // the slot is given back before the close is counted
                await().until(() -> count("connections.closed", "echo", "reason", "normal") == 1);
                assertThat(clientMeters("client#1")).isEmpty();
                try (var third = UnixStreamClient.connect(server.path(), LINES)) {
                    exchange(third, "three", "three");
                    await().until(() -> clientCount("packets.sent", "client#3") == 1);
                    assertThat(clientMeters("client#2")).isEmpty();
                }
            }
        }
        assertThat(count("packets.sent", "echo")).isEqualTo(3);
    }

    @Test
    void clientWhoseMetersFailToRegisterLeavesNoneBehindAndGivesItsSlotToTheNextClient() throws Exception {
        var refuseOnce = new AtomicBoolean(true);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                // the third of a client's five meters
                if (id.getName().equals("easynet.unix.client.packets.received") && refuseOnce.getAndSet(false)) {
                    throw new IllegalStateException("registry refused " + id.getName());
                }
                return id;
            }
        });
        try (var logs = LogCapture.of("io.easynet.server");
                var server = start("echo", echo(), ServerOptions.defaults(), new PerClientMetrics(true, 1));
                var first = UnixStreamClient.connect(server.path(), LINES)) {
            exchange(first, "one", "one");
            assertThat(registry.getMeters()).hasSize(SERVER_METERS);
            assertThat(logs.messages(Level.WARN)).containsExactly("Server listener ServerMetricsListener[server=echo] "
                    + "failed on clientConnected; ignoring it for this event | java.lang.IllegalStateException: "
                    + "registry refused easynet.unix.client.packets.received");
            assertNextClientGetsMeters(server, "client#2");
        }
        assertThat(count("connections.accepted", "echo")).isEqualTo(2);
    }

    @Test
    void clientWhoseMetersFailToBeRemovedStillLeavesTheGaugeFreesItsSlotAndIsCountedClosed() throws Exception {
        var refuseOnce = new AtomicBoolean(true);
        registry.config().onMeterRemoved(meter -> {
            if (refuseOnce.getAndSet(false)) {
                throw new IllegalStateException("listener refused " + meter.getId().getName());
            }
        });
        try (var logs = LogCapture.of("io.easynet.server");
                var server = start("echo", echo(), ServerOptions.defaults(), new PerClientMetrics(true, 1))) {
            try (var first = UnixStreamClient.connect(server.path(), LINES)) {
                exchange(first, "one", "one");
            }
            await().untilAsserted(() -> {
                assertThat(count("connections.closed", "echo", "reason", "normal")).isEqualTo(1);
                assertThat(gauge("echo")).isZero();
            });
            assertThat(clientMeters("client#1")).isEmpty();
            assertThat(logs.messages(Level.WARN)).containsExactly("Server listener ServerMetricsListener[server=echo] "
                    + "failed on clientDisconnected; ignoring it for this event | java.lang.IllegalStateException: "
                    + "listener refused easynet.unix.client.data.received");
            assertNextClientGetsMeters(server, "client#2");
        }
    }

    @Test
    void closeRemovesTheServersMetersAndThoseOfTheClientsStillConnected() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("echo.sock"), LINES, echo(), ServerOptions.defaults());
        var listener = new ServerMetricsListener(registry, Tags.of("server", "echo"));
        server.addListener(listener);
        server.start();
        try (server; var client = UnixStreamClient.connect(server.path(), LINES)) {
            exchange(client, "ping", "ping");
            await().until(() -> clientMeters("client#1").size() == ServerMetricsListener.METERS_PER_CLIENT);
            assertThat(registry.getMeters()).hasSize(SERVER_METERS + ServerMetricsListener.METERS_PER_CLIENT);
            listener.close();
            assertThat(registry.getMeters()).isEmpty();
        }
        // the client's disconnect, after the close, registers nothing again
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void perClientMetersOffKeepsOnlyTheServersMeters() throws Exception {
        try (var server = start("echo", echo(), ServerOptions.defaults(), PerClientMetrics.off());
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            exchange(client, "ping", "ping");
            await().until(() -> count("packets.sent", "echo") == 1);
            assertThat(registry.getMeters()).hasSize(SERVER_METERS);
        }
        assertThat(count("data.received", "echo")).isEqualTo(5);
    }

    private AsyncUnixStreamServer<String, String> start(String name, StreamRequestHandler<String, String> handler,
            ServerOptions options, PerClientMetrics perClient) throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve(name + ".sock"), LINES, handler, options);
        server.addListener(new ServerMetricsListener(registry, Tags.of("server", name), perClient));
        server.start();
        return server;
    }

    /** Connects a client and checks that it gets meters of its own: the one per-client slot is free. */
    private void assertNextClientGetsMeters(AsyncUnixStreamServer<?, ?> server, String id) throws Exception {
        try (var next = UnixStreamClient.connect(server.path(), LINES)) {
            exchange(next, "next", "next");
            await().until(() -> clientCount("packets.sent", id) == 1);
            assertThat(clientMeters(id)).hasSize(ServerMetricsListener.METERS_PER_CLIENT);
        }
    }

    private static void exchange(UnixStreamClient<String, String> client, String request, String response)
            throws Exception {
        client.send(request);
        assertThat(client.receive()).isEqualTo(response);
    }

    private double count(String name, String server, String... tags) {
        return registry.get("easynet.unix." + name).tag("server", server).tags(tags).counter().count();
    }

    private double clientCount(String name, String client) {
        return registry.get("easynet.unix.client." + name).tags("server", "echo", "client", client).counter().count();
    }

    private List<Meter> clientMeters(String client) {
        return registry.getMeters().stream().filter(meter -> client.equals(meter.getId().getTag("client"))).toList();
    }

    private double gauge(String server) {
        return registry.get("easynet.unix.connections.active").tag("server", server).gauge().value();
    }

    private static StreamRequestHandler<String, String> echo() {
        return (client, requests) -> client.send(requests.receive());
    }
}
