package io.easynet.server;

import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serviceInit}: the exit stack, background tasks, access to the server, and failed starts. */
@Timeout(20)
class ServiceInitTest {

    @TempDir
    Path dir;

    @Test
    void registeredResourcesCloseInReverseOrderAfterTheClientsAtStop() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.register(() -> events.add("close first"));
                context.register(() -> events.add("close second"));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("disconnect " + client.id());
            }
        };
        var server = startLines(dir, handler);
        var client = lineClient(server);
        client.send("hi");
        assertThat(client.receive()).isEqualTo("hi");
        server.close();
        client.close();
        assertThat(events).containsExactly("disconnect client#1", "close second", "close first");
    }

    @Test
    void backgroundTaskRunsWhileServingAndIsInterruptedAndJoinedAtStop() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.startBackgroundTask("ticker", () -> {
                    try {
                        while (true) {
                            ticks.incrementAndGet();
                            Thread.sleep(5);
                        }
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                });
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        };
        var server = startLines(dir, handler);
        await().until(() -> ticks.get() >= 3);
        server.close();
        assertThat(interrupted).isTrue();
        int ticksAtStop = ticks.get();
        assertThat(ticks).hasValue(ticksAtStop);
    }

    @Test
    void serviceInitRunsAfterBindAndBeforeAnyClientIsServed() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) throws Exception {
                var sockets = context.server().sockets();
                events.add("sockets " + sockets.size() + ", receive buffer option supported "
                        + sockets.getFirst().supportedOptions().contains(StandardSocketOptions.SO_RCVBUF));
                events.add("file exists " + Files.exists(context.server().path()));
            }

            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                events.add("connected " + client.id());
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        };
        // serviceInit cannot see isServing() true yet: the server serves once it returns
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            client.send("x");
            assertThat(client.receive()).isEqualTo("x");
            assertThat(events).containsExactly("sockets 1, receive buffer option supported true",
                    "file exists true", "connected client#1");
        }
    }

    @Test
    void failingServiceInitFailsTheStartAndUndoesWhatItDid() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) throws Exception {
                context.register(() -> events.add("closed pool"));
                context.startBackgroundTask("poller", () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        taskInterrupted.set(true);
                    }
                });
                throw new IllegalStateException("database unreachable");
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) {
            }
        };
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler);
        assertThatThrownBy(server::start).isInstanceOf(ServiceInitException.class)
                .hasMessage("serviceInit of the server on " + server.path() + " failed: database unreachable")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(events).containsExactly("closed pool");
        assertThat(taskInterrupted).isTrue();
        assertThat(server.isServing()).isFalse();
        assertThat(server.path()).doesNotExist();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be started again");
    }

    @Test
    void failureWhileClosingResourcesDoesNotStopTheOthersFromClosing() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.register(() -> events.add("closed first"));
                context.register(() -> {
                    throw new IllegalStateException("close failed");
                });
                context.register(() -> events.add("closed last"));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) {
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            startLines(dir, handler).close();
            assertThat(events).containsExactly("closed last", "closed first");
            assertThat(logs.messages(ch.qos.logback.classic.Level.WARN)).singleElement().asString()
                    .contains("Closing what serviceInit registered").contains("close failed");
        }
    }

    @Test
    void serviceContextRefusesBindingsAfterServiceInitAndResourcesAfterStop() throws Exception {
        AtomicReference<ServiceContext<String, String>> saved = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                saved.set(context);
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) {
            }
        };
        var server = startLines(dir, handler);
        ScopedValue<String> late = ScopedValue.newInstance();
        assertThatThrownBy(() -> saved.get().bind(late, "too late")).isInstanceOf(IllegalStateException.class)
                .hasMessage("bind scoped values in serviceInit of the server on " + server.path()
                        + "; clients already being served would not see them");
        server.close();
        AutoCloseable resource = () -> { };
        assertThatThrownBy(() -> saved.get().register(resource)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the server on " + server.path() + " is stopping; ");
    }
}
