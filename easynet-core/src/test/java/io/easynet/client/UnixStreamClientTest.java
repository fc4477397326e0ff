package io.easynet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.easynet.internal.transport.UnixTransport;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.StreamRequestHandler;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blocking client against a real server and a raw listener. */
@Timeout(20)
class UnixStreamClientTest {

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    @TempDir
    Path dir;

    @Test
    void sendEofLetsTheServerFinishAndTheResponseStillArrives() throws Exception {
        StreamRequestHandler<String, String> collectUntilEof = (client, requests) -> {
            List<String> lines = new ArrayList<>();
            try {
                while (true) {
                    lines.add(requests.receive());
                }
            } catch (io.easynet.server.ClientDisconnectedException e) {
                client.send(String.join("+", lines));
            }
        };
        try (var server = start(collectUntilEof); var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("a");
            client.send("b");
            client.sendEof();
            assertThat(client.receive()).isEqualTo("a+b");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class)
                    .hasMessage("server on " + server.path() + " ended the stream");
        }
    }

    @Test
    void timedReceiveThrowsAndTheResponseThatComesLaterIsNotLost() throws Exception {
        StreamRequestHandler<String, String> slowEcho = (client, requests) -> {
            String request = requests.receive();
            requests.receive();
            client.send(request);
        };
        try (var server = start(slowEcho); var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("hello");
            assertThatThrownBy(() -> client.receive(Duration.ofMillis(100))).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("no packet from server on " + server.path() + " within 100 ms");
            client.send("release");
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("hello");
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() throws Exception {
        try (var server = start((client, requests) -> client.send(requests.receive()))) {
            var client = UnixStreamClient.connect(server.path(), LINES);
            assertThat(client.isClosed()).isFalse();
            client.close();
            client.close();
            assertThat(client.isClosed()).isTrue();
            assertThatThrownBy(() -> client.send("x")).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(client::receive).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void connectingWhereNobodyListensNamesThePath() {
        Path missing = dir.resolve("nobody.sock");
        assertThatThrownBy(() -> UnixStreamClient.connect(missing, LINES)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot connect to " + missing + ": ");
    }

    @Test
    void connectingToASocketFileWithoutAListenerIsRefused() throws Exception {
        Path path = dir.resolve("stale.sock");
        UnixTransport.jdk().listen(path, 1).close();
        assertThatThrownBy(() -> UnixStreamClient.connect(path, LINES)).isInstanceOf(ConnectException.class)
                .hasMessageContaining(path.toString());
    }

    @Test
    void clientBoundToALocalPathIsSeenThereByTheServer() throws Exception {
        Path local = dir.resolve("client.sock");
        StreamRequestHandler<String, String> whoAmI = (client, requests) -> {
            requests.receive();
            client.send(client.peerAddress().toString());
        };
        try (var server = start(whoAmI); var client = UnixStreamClient.connect(server.path(), LINES,
                ClientOptions.defaults().withLocalPath(local))) {
            client.send("who?");
            assertThat(client.receive()).isEqualTo(local.toString());
            assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
            assertThat(client.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(server.path()));
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedWithTheirName() {
        assertThatThrownBy(() -> ClientOptions.defaults().withMaxPacketSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPacketSize must be positive, got 0");
        assertThatThrownBy(() -> ClientOptions.defaults().withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be positive, got PT0S");
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler)
            throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler);
        server.start();
        return server;
    }

    @Test
    void localSocketFileIsRemovedWhenTheClientCloses() throws Exception {
        Path local = dir.resolve("client.sock");
        try (var server = start((client, requests) -> client.send(requests.receive()))) {
            var options = ClientOptions.defaults().withLocalPath(local);
            UnixStreamClient.connect(server.path(), LINES, options).close();
            assertThat(local).doesNotExist();
            try (var again = UnixStreamClient.connect(server.path(), LINES, options)) {
                again.send("reconnected");
                assertThat(again.receive()).isEqualTo("reconnected");
            }
        }
    }

    @Test
    void serversLastMessageStaysReadableWhenASendFailsAfterTheServerClosed() throws Exception {
        StreamRequestHandler<String, String> refuse = (client, requests) -> {
            requests.receive();
            client.send("bye: not allowed");
            client.close();
        };
        try (var server = start(refuse); var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("let me in");
            await().untilAsserted(() -> assertThatThrownBy(() -> client.send("again"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot send to server on " + server.path() + ": "));
            assertThat(client.receive()).isEqualTo("bye: not allowed");
        }
    }

    @Test
    void callsOnAClosedClientNameTheServer() throws Exception {
        try (var server = start((client, requests) -> client.send(requests.receive()))) {
            var client = UnixStreamClient.connect(server.path(), LINES);
            client.close();
            assertThatThrownBy(() -> client.send("x"))
                    .hasMessage("connection of server on " + server.path() + " is closed");
        }
    }
}
