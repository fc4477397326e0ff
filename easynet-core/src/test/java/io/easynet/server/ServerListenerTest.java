package io.easynet.server;

import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.ServerListener.DisconnectReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The listener hooks that metrics and admin endpoints are built on, with exact figures for scripted sessions. */
@Timeout(20)
class ServerListenerTest {

    @TempDir
    Path dir;

    @Test
    void scriptedSessionIsReportedEventByEventWithExactByteCounts() throws Exception {
        Recorder recorder = new Recorder();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send("echo " + requests.receive());
            } catch (StreamProtocolParseException e) {
                client.send("bad");
            }
        };
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler,
                ServerOptions.builder().maxPacketSize(8).build());
        server.addListener(recorder);
        server.start();
        try (var client = lineClient(server)) {
            client.send("hello");
            assertThat(client.receive()).isEqualTo("echo hello");
            client.send("far too long");
            assertThat(client.receive()).isEqualTo("bad");
        }
        await().until(() -> recorder.events.contains("disconnected client#1 NORMAL"));
        server.close();
        assertThat(recorder.events).containsExactly("started", "connected client#1", "request client#1",
                "sent client#1 11", "completed client#1", "receive failed client#1 StreamProtocolParseException",
                "sent client#1 4", "disconnected client#1 NORMAL", "stopped");
        assertThat(recorder.bytesReceived).hasValue("hello\n".length() + "far too long\n".length());
    }

    @Test
    void handlerFailureAndShutdownAreTheReasonsGivenForTheirDisconnects() throws Exception {
        Recorder recorder = new Recorder();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            if (requests.receive().equals("fail")) {
                throw new IllegalStateException("bug");
            }
        };
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler);
        server.addListener(recorder);
        server.start();
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var failing = lineClient(server);
                var idle = lineClient(server)) {
            failing.send("fail");
            await().until(() -> recorder.events.contains("disconnected client#1 ERROR"));
            await().until(() -> server.clients().size() == 1);
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(recorder.events).contains("handler failed client#1 bug", "disconnected client#2 SHUTDOWN");
    }

    @Test
    void requestBeingHandledWhenTheSessionEndsIsCompletedAfterTheFailureAndBeforeOnDisconnection() throws Exception {
        Recorder recorder = new Recorder();
        var handler = new StreamRequestHandler<String, String>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                throw new IllegalStateException("failed on " + requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                recorder.events.add("onDisconnection " + client.id());
            }
        };
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler);
        server.addListener(recorder);
        server.start();
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var client = lineClient(server)) {
            client.send("ping");
            await().until(() -> recorder.events.contains("disconnected client#1 ERROR"));
        } finally {
            server.close();
        }
        assertThat(recorder.events).containsExactly("started", "connected client#1", "request client#1",
                "handler failed client#1 failed on ping", "completed client#1", "onDisconnection client#1",
                "disconnected client#1 ERROR", "stopped");
    }

    @Test
    void connectionTheServerCannotSetUpIsRejectedAsAnErrorAndNeverReportedConnected() throws Exception {
        Recorder recorder = new Recorder();
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo(),
                ServerOptions.builder().clientThreadFactory(task -> null).build());
        server.addListener(recorder);
        server.start();
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var client = lineClient(server)) {
            await().until(() -> recorder.events.contains("rejected ERROR"));
            assertThat(logs.messages(Level.ERROR)).containsExactly("Could not serve a new client on " + server.path()
                    + "; closing its connection | java.lang.IllegalStateException: clientThreadFactory made no thread "
                    + "for client#1 on " + server.path());
        } finally {
            server.close();
        }
        assertThat(recorder.events).containsExactly("started", "rejected ERROR", "stopped");
    }

    @Test
    void listenerThatThrowsIsLoggedAndTheServerKeepsServing() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        server.addListener(new ServerListener() {
            @Override
            public void requestReceived(StreamClient<?> client) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public String toString() {
                return "BrokenListener";
            }
        });
        server.start();
        try (var logs = LogCapture.of(ServerListeners.class); var client = lineClient(server)) {
            client.send("ping");
            assertThat(client.receive()).isEqualTo("ping");
            assertThat(logs.messages(Level.WARN)).containsExactly(
                    "Server listener BrokenListener failed on requestReceived; ignoring it for this event | "
                            + "java.lang.IllegalStateException: listener bug");
        } finally {
            server.close();
        }
    }

    @Test
    void listenersCannotBeAddedOnceTheServerStarted() throws Exception {
        try (var server = startLines(dir, echo())) {
            assertThatThrownBy(() -> server.addListener(new Recorder())).isInstanceOf(IllegalStateException.class)
                    .hasMessage("add listeners to the server on " + server.path() + " before starting it");
        }
    }

    /** Records every event as a line, in order; shared with other tests of the server. */
    static final class Recorder implements ServerListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        final AtomicInteger bytesReceived = new AtomicInteger();

        @Override
        public void serverStarted(AsyncUnixStreamServer<?, ?> server) {
            events.add("started");
        }

        @Override
        public void serverStopped(AsyncUnixStreamServer<?, ?> server) {
            events.add("stopped");
        }

        @Override
        public void connectionRejected(AsyncUnixStreamServer<?, ?> server, RejectReason reason) {
            events.add("rejected " + reason);
        }

        @Override
        public void clientConnected(StreamClient<?> client) {
            events.add("connected " + client.id());
        }

        @Override
        public void bytesReceived(StreamClient<?> client, int count) {
            bytesReceived.addAndGet(count);
        }

        @Override
        public void requestReceived(StreamClient<?> client) {
            events.add("request " + client.id());
        }

        @Override
        public void requestCompleted(StreamClient<?> client, long durationNanos) {
            events.add("completed " + client.id());
        }

        @Override
        public void responseSent(StreamClient<?> client, int size) {
            events.add("sent " + client.id() + " " + size);
        }

        @Override
        public void receiveFailed(StreamClient<?> client, Exception error) {
            events.add("receive failed " + client.id() + " " + error.getClass().getSimpleName());
        }

        @Override
        public void handlerFailed(StreamClient<?> client, Throwable error) {
            events.add("handler failed " + client.id() + " " + error.getMessage());
        }

        @Override
        public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
            events.add("disconnected " + client.id() + " " + reason);
        }
    }
}
