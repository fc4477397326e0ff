package io.easynet.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerListener;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a {@link ConnectionMonitor} reports about a real server's clients, and how it disconnects one. */
@Timeout(20)
class ConnectionMonitorTest {

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    private final ConnectionMonitor monitor = new ConnectionMonitor(now::get);

    @TempDir
    Path dir;

    @Test
    void eachConnectedClientIsListedWithItsExactTrafficAndForgottenOnceItLeaves() throws Exception {
        try (var server = start(echo())) {
            try (var first = connect(server); var second = connect(server)) {
                await().until(() -> monitor.activeConnections() == 2);
                now.set(T0.plusSeconds(5));
                assertThat(exchange(first, "hello")).isEqualTo("hello");
                assertThat(exchange(first, "hi")).isEqualTo("hi");
                await().until(() -> monitor.client("client#1").orElseThrow().packetsOut() == 2);
                assertThat(monitor.clients()).extracting(ClientActivity::id).containsExactly("client#1", "client#2");
                ClientActivity active = monitor.client("client#1").orElseThrow();
                assertThat(active).isEqualTo(new ClientActivity("client#1", active.peer(), T0, T0.plusSeconds(5),
                        "hello\nhi\n".length(), "hello\nhi\n".length(), 2, 2));
                assertThat(monitor.client("client#2").orElseThrow())
                        .isEqualTo(new ClientActivity("client#2", active.peer(), T0, T0, 0, 0, 0, 0));
            }
            await().until(() -> monitor.activeConnections() == 0);
            assertThat(monitor.clients()).isEmpty();
            assertThat(monitor.client("client#1")).isEmpty();
            assertThat(monitor.totals()).isEqualTo(new TrafficTotals(2, 9, 9, 2, 2));
        }
    }

    @Test
    void clientsAreListedInTheOrderTheServerAcceptedThemPastClientNine() throws Exception {
        List<UnixStreamClient<String, String>> clients = new ArrayList<>();
        try (var server = start(echo())) {
            for (int i = 1; i <= 11; i++) {
                clients.add(connect(server));
                int connected = i;
                await().until(() -> monitor.activeConnections() == connected);
            }
            assertThat(monitor.clients()).extracting(ClientActivity::id).containsExactly("client#1", "client#2",
                    "client#3", "client#4", "client#5", "client#6", "client#7", "client#8", "client#9", "client#10",
                    "client#11");
        } finally {
            for (var client : clients) {
                client.close();
            }
        }
    }

    /** junixsocket's channels have no {@code SO_PEERCRED} option: its servers showed "unnamed" alone. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JDK", "junixsocket"})
    void anUnnamedPeerIsDescribedByTheUserAndGroupOfItsProcessOnBothTransports(String transport) throws Exception {
        PosixFileAttributes ours = Files.readAttributes(Files.createFile(dir.resolve("probe")),
                PosixFileAttributes.class);
        ServerOptions options = ServerOptions.builder().peerCredentials(transport.equals("junixsocket")).build();
        try (var server = start(echo(), options); var client = connect(server)) {
            await().until(() -> monitor.activeConnections() == 1);
            assertThat(monitor.clients()).singleElement().extracting(ClientActivity::peer).isEqualTo(
                    "unnamed (user " + ours.owner().getName() + ", group " + ours.group().getName() + ")");
        }
    }

    @Test
    void disconnectClosesThatClientOnlyAndTheOthersKeepBeingServed() throws Exception {
        try (var server = start(echo()); var doomed = connect(server); var other = connect(server)) {
            await().until(() -> monitor.activeConnections() == 2);
            assertThat(monitor.disconnect("client#1")).isTrue();
            assertThatThrownBy(() -> doomed.receive(TIMEOUT)).isInstanceOf(EOFException.class);
            await().until(() -> monitor.clients().stream().map(ClientActivity::id).toList()
                    .equals(List.of("client#2")));
            assertThat(exchange(other, "still here")).isEqualTo("still here");
        }
    }

    @Test
    void anOperatorsDisconnectReachesListenersAsANormalDisconnect() throws Exception {
        List<String> disconnects = new CopyOnWriteArrayList<>();
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, echo());
        server.addListener(monitor);
        server.addListener(new ServerListener() {
            @Override
            public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
                disconnects.add(client.id() + " " + reason);
            }
        });
        server.start();
        try (server; var client = connect(server)) {
            await().until(() -> monitor.activeConnections() == 1);
            assertThat(monitor.disconnect("client#1")).isTrue();
            await().until(() -> disconnects.size() == 1);
            assertThat(disconnects).containsExactly("client#1 NORMAL");
        }
    }

    @Test
    void disconnectOfAnIdThatIsNotConnectedReportsFalse() throws Exception {
        try (var server = start(echo()); var client = connect(server)) {
            await().until(() -> monitor.activeConnections() == 1);
            assertThat(monitor.disconnect("client#7")).isFalse();
            assertThat(exchange(client, "unharmed")).isEqualTo("unharmed");
        }
    }

    @Test
    void totalsStartAgainFromZeroWhenTheMonitorIsAddedToTheServerOfARestart() throws Exception {
        try (var server = start(echo()); var client = connect(server)) {
            assertThat(exchange(client, "one")).isEqualTo("one");
            await().until(() -> monitor.totals().packetsOut() == 1);
        }
        assertThat(monitor.totals()).isEqualTo(new TrafficTotals(1, 4, 4, 1, 1));
        try (var restarted = start(echo())) {
            assertThat(monitor.totals()).isEqualTo(new TrafficTotals(0, 0, 0, 0, 0));
        }
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler)
            throws Exception {
        return start(handler, ServerOptions.defaults());
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler,
            ServerOptions options) throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler, options);
        server.addListener(monitor);
        server.start();
        return server;
    }

    private static StreamRequestHandler<String, String> echo() {
        return (client, requests) -> client.send(requests.receive());
    }

    private static UnixStreamClient<String, String> connect(AsyncUnixStreamServer<?, ?> server) throws Exception {
        return UnixStreamClient.connect(server.path(), LINES);
    }

    private static String exchange(UnixStreamClient<String, String> client, String line) throws Exception {
        client.send(line);
        return client.receive(TIMEOUT);
    }
}
