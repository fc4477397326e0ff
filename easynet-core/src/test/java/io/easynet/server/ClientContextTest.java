package io.easynet.server;

import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-client context: the client bound in a {@link ScopedValue}, serviceInit's bindings, attributes, and the close
 * callbacks that release per-client resources.
 */
@Timeout(20)
class ClientContextTest {

    private static final ScopedValue<String> SERVICE_NAME = ScopedValue.newInstance();

    private static final AttributeKey<String> NAME = AttributeKey.of("name", String.class);

    @TempDir
    Path dir;

    @Test
    void currentClientIsReachableFromCodeTheHandlerCalls() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            client.send(describeCurrentClient() + " same=" + (StreamClient.current() == client));
        };
        try (var server = startLines(dir, handler); var first = lineClient(server); var second = lineClient(server)) {
            first.send("x");
            assertThat(first.receive()).isEqualTo("client#1 same=true");
            second.send("x");
            assertThat(second.receive()).isEqualTo("client#2 same=true");
        }
    }

    @Test
    void currentClientOutsideAConnectionFailsWithAClearMessage() {
        assertThat(StreamClient.currentIfAny()).isEmpty();
        assertThatThrownBy(StreamClient::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no client is being served on this thread");
    }

    @Test
    void valuesBoundInServiceInitAreBoundOnEveryClientThread() throws Exception {
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.bind(SERVICE_NAME, "inventory");
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                client.send(SERVICE_NAME.get() + " for " + client.id());
            }
        };
        try (var server = startLines(dir, handler); var first = lineClient(server); var second = lineClient(server)) {
            first.send("x");
            second.send("x");
            assertThat(first.receive()).isEqualTo("inventory for client#1");
            assertThat(second.receive()).isEqualTo("inventory for client#2");
        }
    }

    @Test
    void attributesSetInOnConnectionAreSeenByThatClientsHandleAndOnDisconnectionOnly() throws Exception {
        List<String> disconnected = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.attributes().set(NAME, requests.receive());
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                client.send("I am " + StreamClient.current().attributes().get(NAME));
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                disconnected.add(client.attributes().get(NAME));
            }
        };
        try (var server = startLines(dir, handler)) {
            try (var ann = lineClient(server); var bob = lineClient(server)) {
                ann.send("ann");
                bob.send("bob");
                ann.send("who?");
                bob.send("who?");
                assertThat(ann.receive()).isEqualTo("I am ann");
                assertThat(bob.receive()).isEqualTo("I am bob");
            }
            await().until(() -> disconnected.size() == 2);
            assertThat(disconnected).containsExactlyInAnyOrder("ann", "bob");
        }
    }

    @Test
    void closeCallbacksRunLastFirstAfterOnDisconnectionOnTheClientsThreadWithTheClientCurrent() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                for (String name : List.of("first", "second")) {
                    client.addCloseCallback(() -> events.add(name + " on " + Thread.currentThread().getName()
                            + " current=" + (StreamClient.current() == client) + " closing=" + client.isClosing()));
                }
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection");
            }
        };
        try (var server = startRecording(handler, events)) {
            try (var client = lineClient(server)) {
                client.send("hi");
                assertThat(client.receive()).isEqualTo("hi");
            }
            await().until(() -> events.size() == 4);
            assertThat(events).containsExactly("onDisconnection",
                    "second on easynet-client#1 current=true closing=true",
                    "first on easynet-client#1 current=true closing=true",
                    "disconnected client#1 NORMAL");
        }
    }

    @Test
    void closeCallbackThatThrowsIsLoggedWithTheClientIdAndTheOthersStillRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                client.addCloseCallback(() -> events.add("first"));
                client.addCloseCallback(() -> {
                    throw new IllegalStateException("callback bug");
                });
                client.addCloseCallback(() -> events.add("third"));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startRecording(handler, events)) {
            lineClient(server).close();
            await().until(() -> events.size() == 3);
            assertThat(events).containsExactly("third", "first", "disconnected client#1 NORMAL");
            assertThat(logs.messages(Level.ERROR)).containsExactly("close callback of client#1 on " + server.path()
                    + " failed | java.lang.IllegalStateException: callback bug");
        }
    }

    @Test
    void closeCallbacksRunRightAfterTheCloseWhenOnConnectionFails() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                client.addCloseCallback(() -> events.add("callback closing=" + client.isClosing()));
                throw new SecurityException("who are you?");
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) {
                events.add("handle");
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startRecording(handler, events);
                var client = lineClient(server)) {
            await().until(() -> events.size() == 2);
            assertThat(events).containsExactly("callback closing=true", "disconnected client#1 ERROR");
        }
    }

    @Test
    void closeCallbackAddedOnceTheClientIsOverRunsAtOnceOnTheCallersThread() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<StreamClient<String>> served = new CompletableFuture<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            served.complete(client);
            requests.receive();
        };
        try (var server = startRecording(handler, events)) {
            lineClient(server).close();
            await().until(() -> events.equals(List.of("disconnected client#1 NORMAL")));
            served.get().addCloseCallback(() -> events.add("late on " + Thread.currentThread().getName()));
            assertThat(events).containsExactly("disconnected client#1 NORMAL",
                    "late on " + Thread.currentThread().getName());
        }
    }

    @Test
    void closeCallbacksRunWhenTheServerStops() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                client.addCloseCallback(() -> events.add("callback " + StreamClient.current().id()));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
            }
        };
        var server = startRecording(handler, events);
        try (var client = lineClient(server)) {
            await().until(() -> server.clients().size() == 1);
            server.stop(Duration.ofSeconds(5));
            assertThat(events).containsExactly("callback client#1", "disconnected client#1 SHUTDOWN");
        }
    }

    /** Starts a line server whose listener adds each disconnect and its reason to {@code events}. */
    private AsyncUnixStreamServer<String, String> startRecording(StreamRequestHandler<String, String> handler,
            List<String> events) throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler);
        server.addListener(new ServerListener() {
            @Override
            public void clientDisconnected(StreamClient<?> client, ServerListener.DisconnectReason reason) {
                events.add("disconnected " + client.id() + " " + reason);
            }
        });
        server.start();
        return server;
    }

    private static String describeCurrentClient() {
        return StreamClient.current().id();
    }
}
