package io.easynet.server;

import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The rules of EasyNetwork's {@code handle()} generator, in their Java form, over real sockets. */
@Timeout(20)
class HandlerContractTest {

    @TempDir
    Path dir;

    @Test
    void handleIsCalledAgainForEveryRoundThatReceived() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            client.send(request + " #" + rounds.incrementAndGet());
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            for (String line : List.of("a", "b", "c")) {
                client.send(line);
            }
            assertThat(List.of(client.receive(), client.receive(), client.receive()))
                    .containsExactly("a #1", "b #2", "c #3");
        }
    }

    @Test
    void handleReceivingSeveralTimesInOneRoundSeesRequestsInOrder() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String user = requests.receive();
            while (!client.isClosing()) {
                client.send(user + ": " + requests.receive());
            }
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            client.send("ann");
            client.send("hello");
            client.send("bye");
            assertThat(client.receive()).isEqualTo("ann: hello");
            assertThat(client.receive()).isEqualTo("ann: bye");
        }
    }

    @Test
    void handleReturningWithoutReceivingClosesTheConnection() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            calls.incrementAndGet();
            client.send("go away");
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            assertThat(client.receive()).isEqualTo("go away");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void handlerThatThrowsClosesItsConnectionAndIsLoggedWithTheClientId() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            if (requests.receive().equals("boom")) {
                throw new IllegalStateException("handler bug");
            }
            client.send("ok");
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startLines(dir, handler);
                var first = lineClient(server); var second = lineClient(server)) {
            first.send("fine");
            assertThat(first.receive()).isEqualTo("ok");
            second.send("boom");
            assertThatThrownBy(second::receive).isInstanceOf(EOFException.class);
            first.send("still there?");
            assertThat(first.receive()).isEqualTo("ok");
            await().untilAsserted(() -> assertThat(logs.messages(Level.ERROR)).singleElement().asString()
                    .contains("handle of client#2 on " + server.path() + " failed; closing the connection")
                    .contains("IllegalStateException: handler bug"));
        }
    }

    @Test
    void parseErrorArrivesAtTheReceivePointAndTheConnectionStaysUsable() throws Exception {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        StreamRequestHandler<JsonNode, JsonNode> handler = (client, requests) -> {
            try {
                client.send(requests.receive());
            } catch (StreamProtocolParseException e) {
                client.send(nodes.objectNode().put("error", e.reason() + " at " + e.streamOffset()));
            }
        };
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("json.sock"), Servers.JSON, handler);
                var raw = startAndConnectWithLines(server)) {
            raw.send("{\"a\":1}");
            raw.send("{not json");
            raw.send("[2]");
            assertThat(List.of(raw.receive(), raw.receive(), raw.receive()))
                    .containsExactly("{\"a\":1}", "{\"error\":\"INVALID_PACKET at 8\"}", "[2]");
        }
    }

    @Test
    void timedReceiveThrowsSocketTimeoutAndTheRequestThatComesLaterIsNotLost() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send("got " + requests.receive(RecvParams.timeout(Duration.ofMillis(50))));
            } catch (SocketTimeoutException e) {
                client.send("timeout");
            }
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            assertThat(client.receive()).isEqualTo("timeout");
            client.send("late");
            String answer;
            do {
                answer = client.receive();
            } while (answer.equals("timeout"));
            assertThat(answer).isEqualTo("got late");
        }
    }

    @Test
    void peerDisconnectSurfacesAtTheReceivePointAndRunsTheHandlersFinally() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                try {
                    requests.receive();
                } catch (ClientDisconnectedException e) {
                    events.add("disconnected: " + e.getMessage());
                    throw e;
                } finally {
                    events.add("finally");
                }
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection");
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startLines(dir, handler)) {
            lineClient(server).close();
            await().until(() -> events.size() == 3);
            assertThat(events).containsExactly("disconnected: client#1 on " + server.path() + " ended the stream",
                    "finally", "onDisconnection");
            assertThat(logs.messages(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void onConnectionMayReceiveAHandshakeBeforeTheFirstRound() throws Exception {
        AttributeKey<String> user = AttributeKey.of("user", String.class);
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                String login = requests.receive();
                client.attributes().set(user, login);
                client.send("welcome " + login);
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(client.attributes().get(user) + " says " + requests.receive());
            }
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            client.send("bob");
            client.send("hi");
            assertThat(client.receive()).isEqualTo("welcome bob");
            assertThat(client.receive()).isEqualTo("bob says hi");
        }
    }

    @Test
    void onConnectionThatThrowsClosesTheConnectionWithoutOnDisconnection() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                if (!requests.receive().equals("secret")) {
                    throw new SecurityException("wrong password");
                }
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                events.add("handle");
                client.send(requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection " + client.id());
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startLines(dir, handler)) {
            try (var intruder = lineClient(server)) {
                intruder.send("guess");
                assertThatThrownBy(intruder::receive).isInstanceOf(EOFException.class);
            }
            await().untilAsserted(() -> assertThat(logs.messages(Level.ERROR)).containsExactly("onConnection of client#1 on "
                    + server.path() + " failed; closing the connection | java.lang.SecurityException: wrong password"));
            try (var member = lineClient(server)) {
                member.send("secret");
                member.send("ping");
                assertThat(member.receive()).isEqualTo("ping");
            }
            await().untilAsserted(() -> assertThat(events).contains("onDisconnection client#2"));
            assertThat(events).doesNotContain("onDisconnection client#1");
        }
    }

    @Test
    void onDisconnectionRunsExactlyOnceWhetherTheRoundEndsNormallyOrFails() throws Exception {
        List<String> disconnected = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                switch (requests.receive()) {
                    case "fail" -> throw new IllegalArgumentException("bad request");
                    case "quit" -> client.close();
                    default -> client.send("ok");
                }
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                disconnected.add(client.id());
            }
        };
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = startLines(dir, handler)) {
            try (var failing = lineClient(server); var quitting = lineClient(server); var leaving = lineClient(server)) {
                failing.send("fail");
                quitting.send("quit");
                leaving.send("hello");
                assertThat(leaving.receive()).isEqualTo("ok");
                assertThatThrownBy(failing::receive).isInstanceOf(EOFException.class);
                assertThatThrownBy(quitting::receive).isInstanceOf(EOFException.class);
            }
            await().until(() -> disconnected.size() == 3);
            assertThat(disconnected).containsExactlyInAnyOrder("client#1", "client#2", "client#3");
        }
    }

    @Test
    void onDisconnectionCanStillSendWhenTheServerEndsTheConnection() throws Exception {
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                client.close();
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                // the handler closed the connection: sending now fails with the dedicated exception
                assertThatThrownBy(() -> client.send("late")).isInstanceOf(ClientDisconnectedException.class)
                        .hasMessageContaining(client.id());
            }
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            client.send("bye");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void responsesSentConcurrentlyByBackgroundThreadsNeverInterleave() throws Exception {
        int threads = 8;
        int perThread = 300;
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            List<Thread> senders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String payload = Character.toString('a' + t).repeat(1000 + t);
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try {
                            client.send(payload);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            for (Thread sender : senders) {
                sender.join();
            }
            client.send("done");
        };
        try (var server = startLines(dir, handler); var client = lineClient(server)) {
            client.send("start");
            int received = 0;
            for (String line = client.receive(); !line.equals("done"); line = client.receive()) {
                char letter = line.charAt(0);
                assertThat(line).hasSize(1000 + (letter - 'a')).matches(letter + "+");
                received++;
            }
            assertThat(received).isEqualTo(threads * perThread);
        }
    }

    @Test
    void aSecondClientIsServedWhileTheFirstHandlerIsBlocked() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            if (request.equals("block")) {
                requests.receive();
            }
            client.send(request);
        };
        try (var server = startLines(dir, handler); var blocked = lineClient(server); var other = lineClient(server)) {
            blocked.send("block");
            other.send("free");
            assertThat(other.receive()).isEqualTo("free");
        }
    }

    private static UnixStreamClient<String, String> startAndConnectWithLines(
            AsyncUnixStreamServer<JsonNode, JsonNode> server) throws Exception {
        server.start();
        return UnixStreamClient.connect(server.path(), Servers.LINES);
    }

    @Test
    void sendingToAClientThatHasGoneThrowsClientDisconnectedNamingIt() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> sendFailure = new java.util.concurrent.CompletableFuture<>();
        CountDownLatch received = new CountDownLatch(1);
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            received.countDown();
            try {
                while (true) {
                    client.send("are you there?");
                }
            } catch (Exception e) {
                sendFailure.complete(e);
                throw e;
            }
        };
        try (var server = startLines(dir, handler)) {
            try (var client = lineClient(server)) {
                client.send("hi");
                received.await();
            }
            assertThat(sendFailure.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(ClientDisconnectedException.class)
                    .hasMessageStartingWith("cannot send to client#1 on " + server.path() + ": ");
        }
    }
}
