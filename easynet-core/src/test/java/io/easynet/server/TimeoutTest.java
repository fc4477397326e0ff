package io.easynet.server;

import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.server.ServerListener.DisconnectReason;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's receive timeout, which a handler may recover from, and its idle timeout, which ends the client. */
@Timeout(20)
class TimeoutTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Exception> handlerSaw = new CompletableFuture<>();

    @Test
    void receiveWithTheServersTimeoutThrowsSocketTimeoutAndALaterRequestIsStillReceived() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send("got " + requests.receive());
            } catch (SocketTimeoutException e) {
                client.send("timeout");
                // explicit params without a timeout wait as long as it takes, whatever the server's default
                client.send("then got " + requests.receive(RecvParams.DEFAULT));
            }
        };
        try (var server = start(handler, ServerOptions.builder().receiveTimeout(SHORT)); var client = lineClient(server)) {
            assertThat(client.receive()).isEqualTo("timeout");
            // atMost only bounds how soon the checks run, well above during: on a loaded machine they may be late
            await().during(SHORT.multipliedBy(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> events.equals(List.of("receive failed client#1 SocketTimeoutException")));
            client.send("late");
            assertThat(client.receive()).isEqualTo("then got late");
        }
    }

    @Test
    void idleClientIsDisconnectedWithReasonTimeoutAndALogLineSayingSo() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> client.send(
                Servers.receiveRecording(requests, RecvParams.DEFAULT, handlerSaw));
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class);
                var server = start(handler, ServerOptions.builder().idleTimeout(SHORT));
                var client = lineClient(server)) {
            client.send("ping");
            assertThat(client.receive()).isEqualTo("ping");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);

            String closure = "client#1 on " + server.path() + " sent no request for 100 ms; closed it (idle timeout)";
            await().until(() -> events.contains("disconnected client#1 TIMEOUT"));
            assertThat(events).containsExactly("disconnected client#1 TIMEOUT");
            assertThat(handlerSaw.get()).isInstanceOf(ClientDisconnectedException.class).hasMessage(closure);
            assertThat(logs.messages(Level.INFO)).containsExactly("Serving on " + server.path(),
                    "client#1 on " + server.path() + " connected", closure);
            assertThat(logs.messages(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void timedReceiveLongerThanTheIdleTimeoutStillEndsAtTheIdleTimeout() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> client.send(
                Servers.receiveRecording(requests, RecvParams.timeout(Duration.ofMinutes(5)), handlerSaw));
        try (var server = start(handler, ServerOptions.builder().idleTimeout(SHORT)); var client = lineClient(server)) {
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            assertThat(handlerSaw.get()).isInstanceOf(ClientDisconnectedException.class)
                    .hasMessageEndingWith("sent no request for 100 ms; closed it (idle timeout)");
            await().until(() -> events.equals(List.of("disconnected client#1 TIMEOUT")));
        }
    }

    @Test
    void timedReceiveShorterThanTheIdleTimeoutThrowsSocketTimeoutAndTheClientStays() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send(Servers.receiveRecording(requests, RecvParams.timeout(SHORT), handlerSaw));
            } catch (SocketTimeoutException e) {
                client.send("timeout");
                client.send("then got " + requests.receive());
            }
        };
        try (var server = start(handler, ServerOptions.builder().idleTimeout(Duration.ofMinutes(5)))) {
            try (var client = lineClient(server)) {
                assertThat(client.receive()).isEqualTo("timeout");
                client.send("late");
                assertThat(client.receive()).isEqualTo("then got late");
            }
            assertThat(handlerSaw.get()).isInstanceOf(SocketTimeoutException.class);
            await().until(() -> events.size() == 2);
            assertThat(events).containsExactly("receive failed client#1 SocketTimeoutException",
                    "disconnected client#1 NORMAL");
        }
    }

    @Test
    void serverStopDuringAnIdleTimeoutIsReportedAsShutdown() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> client.send(
                Servers.receiveRecording(requests, RecvParams.DEFAULT, handlerSaw));
        var server = start(handler, ServerOptions.builder().idleTimeout(Duration.ofMinutes(5)));
        try (var client = lineClient(server)) {
            await().until(() -> server.clients().size() == 1);
            server.stop(Duration.ofSeconds(5));
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            assertThat(events).containsExactly("disconnected client#1 SHUTDOWN");
        }
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler,
            ServerOptions.Builder options) throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler, options.build());
        server.addListener(new ServerListener() {
            @Override
            public void receiveFailed(StreamClient<?> client, Exception error) {
                events.add("receive failed " + client.id() + " " + error.getClass().getSimpleName());
            }

            @Override
            public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
                events.add("disconnected " + client.id() + " " + reason);
            }
        });
        server.start();
        return server;
    }
}
