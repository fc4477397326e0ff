package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.lineClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accept loop never ends without a word: a listener closed underneath a serving server is an ERROR with its
 * cause and an {@link AcceptFailure} for health checks, and a listener that cannot accept fails the start.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcceptLoopTest {

    @TempDir
    Path dir;

    /**
     * Interrupting the thread blocked in accept closes the listening channel on both transports (the JDK's
     * interruptible channels, and the junixsocket listener that does as they do): a close nobody asked the server for.
     */
    @ParameterizedTest(name = "junixsocket transport: {0}")
    @ValueSource(booleans = {false, true})
    void aListenerClosedUnderneathTheServerIsLoggedAsAnErrorWithItsCauseAndReportedAsAnEndedAcceptLoop(
            boolean junixsocket) throws Exception {
        var options = ServerOptions.builder().peerCredentials(junixsocket).build();
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class);
                var server = Servers.startLines(dir, echo(), options); var connected = lineClient(server)) {
            connected.send("before");
            assertThat(connected.receive()).isEqualTo("before");
            assertThat(server.acceptFailure()).isEmpty();

            acceptThread(server).interrupt();

            await().until(() -> server.acceptFailure().isPresent());
            AcceptFailure failure = server.acceptFailure().orElseThrow();
            assertThat(failure.ended()).isTrue();
            assertThat(failure.cause()).isEqualTo("java.nio.channels.ClosedByInterruptException");
            assertThat(failure.failures()).isOne();
            await().until(() -> !logs.messages(Level.ERROR).isEmpty());
            assertThat(logs.messages(Level.ERROR)).containsExactly("The server on " + server.path() + " stopped "
                    + "accepting clients (java.nio.channels.ClosedByInterruptException): new clients are refused until "
                    + "it is restarted; the 1 connected are still served | java.nio.channels.ClosedByInterruptException: "
                    + "null");
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.NOT_LISTENING);
            assertThatThrownBy(() -> lineClient(server)).isInstanceOf(ConnectException.class);
            connected.send("after");
            assertThat(connected.receive()).as("a client connected before is still served").isEqualTo("after");
        }
    }

    @Test
    void aStopIsNotAnAcceptFailure() throws Exception {
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            var server = Servers.startLines(dir, echo());
            server.close();
            assertThat(server.acceptFailure()).isEmpty();
            assertThat(logs.messages(Level.ERROR)).isEmpty();
        }
    }

    /**
     * A passed socket that was closed by the time the server takes it (a junixsocket listener still knows its
     * address then, so the server claims it): the server must not say it started on a listener that cannot accept.
     */
    @Test
    void aStartWhoseListenerCannotAcceptFailsNamingTheCauseAndNeverSaysServing() throws Exception {
        Path path = dir.resolve("server.sock");
        UnixListener passed = UnixTransport.junixsocket().listen(path, 4);
        passed.close();
        var server = new AsyncUnixStreamServer<>(UnixDomainSocketAddress.of(path), LINES, echo(),
                ServerOptions.defaults(), new AtomicLong()::incrementAndGet, new SystemdSockets(() -> List.of(passed)));
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            assertThatThrownBy(server::start).isExactlyInstanceOf(java.io.IOException.class)
                    .hasMessage("the server on " + path + " cannot accept clients: its listener was closed "
                            + "underneath it");
            assertThat(server.isServing()).isFalse();
            assertThat(logs.messages(Level.INFO)).noneMatch(line -> line.startsWith("Serving on"));
        }
    }

    @ParameterizedTest(name = "junixsocket transport: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatConnectedBeforeTheStartCheckIsServed(boolean junixsocket) throws Exception {
        Path path = dir.resolve("server.sock");
        var options = ServerOptions.builder().peerCredentials(junixsocket).build();
        var server = new AsyncUnixStreamServer<>(path, LINES, new StreamRequestHandler<String, String>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) throws Exception {
                // connects while the server is bound but before it checks its listener
                context.register(UnixStreamClient.connect(path, LINES));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        }, options);
        try (server) {
            server.start();
            await().until(() -> server.clients().size() == 1);
            try (var client = lineClient(server)) {
                client.send("next");
                assertThat(client.receive()).isEqualTo("next");
            }
        }
    }

    private static Thread acceptThread(AsyncUnixStreamServer<?, ?> server) {
        String name = "easynet-accept-" + server.path().getFileName();
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(name))
                .findFirst().orElseThrow();
    }
}
