package io.easynet.server;

import static io.easynet.server.Servers.lineClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.server.ServerListener.Limit;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits that keep a slow or greedy client from holding the server: send timeout, slow-packet guard, send
 * queue bound, max connections, and the report of each limit to {@link ServerListener#limitReached}. The time
 * limits run on both transports, since each wakes a blocked read or write in its own way.
 */
@Timeout(30)
class ServerLimitsTest {

    private static final String BIG_LINE = "x".repeat(1024 * 1024);

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Exception> handlerSaw = new CompletableFuture<>();

    @ParameterizedTest(name = "junixsocket transport: {0}")
    @ValueSource(booleans = {false, true})
    void sendToAClientThatStopsReadingEndsAfterTheSendTimeoutAndOthersAreStillServed(boolean junixsocket)
            throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            if (!request.equals("flood")) {
                client.send(request);
                return;
            }
            try {
                while (true) {
                    client.send(BIG_LINE);
                }
            } catch (IOException e) {
                handlerSaw.complete(e);
                throw e;
            }
        };
        var options = ServerOptions.builder().peerCredentials(junixsocket).sendTimeout(Duration.ofMillis(300))
                .minReceiveRate(null);
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = start(handler, options);
                var other = lineClient(server); var stuck = rawClient(server)) {
            stuck.write("flood\n");

            String closure = "client#2 on " + server.path() + " took more than 300 ms to read a response; closed it "
                    + "(send timeout)";
            assertThat(handlerSaw.get(10, TimeUnit.SECONDS)).isInstanceOf(ClientDisconnectedException.class)
                    .hasMessage(closure);
            await().until(() -> events.contains("disconnected client#2 TIMEOUT"));
            assertThat(events).containsExactly("limit SEND_TIMEOUT client#2", "disconnected client#2 TIMEOUT");
            assertThat(logs.messages(Level.WARN)).containsExactly(closure);
            other.send("still there?");
            assertThat(other.receive()).isEqualTo("still there?");
        }
    }

    @ParameterizedTest(name = "junixsocket transport: {0}")
    @ValueSource(booleans = {false, true})
    void packetArrivingSlowerThanTheMinimumRateIsDroppedAndTheConnectionClosed(boolean junixsocket) throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> client.send(
                Servers.receiveRecording(requests, RecvParams.DEFAULT, handlerSaw));
        var options = ServerOptions.builder().peerCredentials(junixsocket)
                .minReceiveRate(new MinReceiveRate(10, Duration.ofMillis(200)));
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = start(handler, options);
                var other = lineClient(server); var slow = rawClient(server)) {
            slow.write("abc");

            // 3 bytes at 10 B/s are allowed 200 ms + 300 ms
            assertThat(slow.read()).as("the slow client reads end of stream").isEqualTo(-1);
            assertThat(handlerSaw.get()).isInstanceOf(ClientDisconnectedException.class).hasMessageMatching(
                    "client#2 on .*server.sock sent 3 bytes of a packet and then too little for \\d+ ms, slower than "
                            + "the minimum rate of 10 B/s after 200 ms; closed it \\(slow packet\\)");
            await().until(() -> events.contains("disconnected client#2 TIMEOUT"));
            assertThat(events).containsExactly("limit SLOW_PACKET client#2", "disconnected client#2 TIMEOUT");
            assertThat(logs.messages(Level.WARN)).singleElement().asString().endsWith("(slow packet)");
            other.send("still there?");
            assertThat(other.receive()).isEqualTo("still there?");
        }
    }

    /** A slow loris that reconnects as fast as it is closed would otherwise be a WARN line per connection. */
    @Test
    void slowPacketClosuresAreLoggedAtWarnOncePerWindowAndTheRestAtDebug() throws Exception {
        int slowClients = 12;
        var options = ServerOptions.builder().minReceiveRate(new MinReceiveRate(10, Duration.ofMillis(200)));
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var server = start(Servers.echo(), options)) {
            List<RawClient> slow = new ArrayList<>();
            try {
                for (int i = 0; i < slowClients; i++) {
                    slow.add(rawClient(server));
                    slow.getLast().write("abc");
                }
                for (RawClient client : slow) {
                    assertThat(client.read()).as("the slow client reads end of stream").isEqualTo(-1);
                }
            } finally {
                for (RawClient client : slow) {
                    client.close();
                }
            }
            await().until(() -> closures(logs, Level.WARN).size() + closures(logs, Level.DEBUG).size()
                    == slowClients);
            // one per 10 s window, and this test ends within 30 s
            assertThat(closures(logs, Level.WARN)).as("closures logged at WARN").hasSizeBetween(1, 3);
            assertThat(closures(logs, Level.DEBUG)).as("closures logged at DEBUG")
                    .hasSizeGreaterThanOrEqualTo(slowClients - 3);
        }
    }

    private static List<String> closures(LogCapture logs, Level level) {
        // the closure itself, not the handler's receive that ended with it
        return logs.messages(level).stream()
                .filter(line -> line.contains("closed it (slow packet)") && !line.contains(" ended in ")).toList();
    }

    @Test
    void packetTricklingFasterThanTheMinimumRateIsServed() throws Exception {
        // a wide margin: on a loaded machine the client's own sleeps stretch, and then it is slow in earnest
        var options = ServerOptions.builder().minReceiveRate(new MinReceiveRate(1, Duration.ofSeconds(1)));
        try (var server = start(Servers.echo(), options); var client = rawClient(server)) {
            // 20 B/s for 2 s, twenty times the minimum rate and twice the grace period
            for (int i = 0; i < 40; i++) {
                client.write("a");
                Thread.sleep(50);
            }
            client.write("\n");

            assertThat(client.readLine()).isEqualTo("a".repeat(40));
            assertThat(events).isEmpty();
        }
    }

    @Test
    void partialPacketIsNotTimedWhileTheHandlerIsBusyWithThePreviousOne() throws Exception {
        var busy = new CountDownLatch(1);
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            if (request.equals("one")) {
                busy.await();
            }
            client.send(request);
        };
        var options = ServerOptions.builder().minReceiveRate(new MinReceiveRate(10, Duration.ofMillis(100)));
        try (var server = start(handler, options); var client = rawClient(server)) {
            client.write("one\ntw");
            try {
                // atMost well above during: on a loaded machine the checks themselves may be late
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10))
                        .until(() -> server.clients().size() == 1 && events.isEmpty());
            } finally {
                busy.countDown();
            }
            assertThat(client.readLine()).isEqualTo("one");
            client.write("o\n");
            assertThat(client.readLine()).isEqualTo("two");
        }
    }

    @Test
    void slowPacketIsClosedEvenWhenTheHandlerPollsWithTimedReceives() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            while (true) {
                try {
                    client.send(requests.receive(RecvParams.timeout(Duration.ofMillis(100))));
                } catch (SocketTimeoutException e) {
                    // other work between polls: the read stays pending, and so does the packet's clock
                }
            }
        };
        var options = ServerOptions.builder().minReceiveRate(new MinReceiveRate(10, Duration.ofMillis(200)));
        try (var server = start(handler, options); var slow = rawClient(server)) {
            slow.write("abc");

            assertThat(slow.read()).as("the slow client reads end of stream").isEqualTo(-1);
            await().until(() -> events.contains("disconnected client#1 TIMEOUT"));
            assertThat(events).endsWith("limit SLOW_PACKET client#1", "disconnected client#1 TIMEOUT")
                    .filteredOn(event -> !event.equals("limit RECEIVE_TIMEOUT client#1")).hasSize(2);
        }
    }

    @Test
    void packetThatArrivedWhileTheHandlerWorksAfterATimedReceiveIsNotSlow() throws Exception {
        var working = new CountDownLatch(1);
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send(requests.receive(RecvParams.timeout(Duration.ofMillis(100))));
            } catch (SocketTimeoutException e) {
                working.await();
                client.send("then " + requests.receive());
            }
        };
        var options = ServerOptions.builder().minReceiveRate(new MinReceiveRate(10, Duration.ofSeconds(1)));
        try (var server = start(handler, options); var client = rawClient(server)) {
            client.write("par");
            // the rest only once the timed receive is over: sent earlier, it would be that receive's packet
            await().until(() -> events.contains("limit RECEIVE_TIMEOUT client#1"));
            client.write("tial\n");
            // the rest arrived; the handler works for longer than the packet would be allowed
            try {
                // longer than the 1.3 s the packet's 3 first bytes are allowed
                await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(10))
                        .until(() -> events.equals(List.of("limit RECEIVE_TIMEOUT client#1")));
            } finally {
                working.countDown();
            }
            assertThat(client.readLine()).isEqualTo("then partial");
        }
    }

    @Test
    void sendTimeoutStillBitesAfterTheClientEndedItsSideOfTheStream() throws Exception {
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) throws IOException {
                // the connection is still open, so a last message can be sent; this one never ends
                try {
                    while (true) {
                        client.send(BIG_LINE);
                    }
                } catch (IOException e) {
                    handlerSaw.complete(e);
                }
            }
        };
        var options = ServerOptions.builder().sendTimeout(Duration.ofMillis(300)).minReceiveRate(null);
        try (var server = start(handler, options); var client = rawClient(server)) {
            client.write("hi\n");
            client.channel().shutdownOutput();

            assertThat(handlerSaw.get(10, TimeUnit.SECONDS)).isInstanceOf(ClientDisconnectedException.class)
                    .hasMessageEndingWith("closed it (send timeout)");
        }
    }

    @Test
    void maxQueuedSendsOfIntegerMaxValueMeansNoLimit() throws Exception {
        var options = ServerOptions.builder().maxQueuedSends(Integer.MAX_VALUE);
        try (var server = start(Servers.echo(), options); var client = lineClient(server)) {
            client.send("hello");
            assertThat(client.receive()).isEqualTo("hello");
        }
    }

    @Test
    void sendBeyondMaxQueuedSendsIsRefusedAtOnceAndTheConnectionStaysOpen() throws Exception {
        var connected = new CompletableFuture<StreamClient<String>>();
        var options = ServerOptions.builder().maxQueuedSends(2).sendTimeout(null);
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class);
                var server = start(Servers.echoAfter(connected::complete), options); var reader = rawClient(server)) {
            StreamClient<String> client = connected.get();
            List<Thread> senders = new ArrayList<>();
            // the first send fills the socket buffers of a client that does not read yet, the next two wait for it
            for (String line : List.of(BIG_LINE, "b", "c")) {
                Thread sender = Thread.startVirtualThread(() -> {
                    try {
                        client.send(line);
                    } catch (IOException e) {
                        events.add("send failed " + e);
                    }
                });
                senders.add(sender);
                await().until(() -> sender.getState() == Thread.State.WAITING);
            }

            String refusal = "client#1 on " + server.path() + " already has 2 sends waiting behind the one in "
                    + "progress (maxQueuedSends); refused this one, nothing was sent";
            assertThatThrownBy(() -> client.send("d")).isInstanceOf(SendQueueFullException.class).hasMessage(refusal);
            assertThat(events).containsExactly("limit SEND_QUEUE client#1");
            assertThat(logs.messages(Level.WARN)).containsExactly(refusal);

            assertThat(reader.readLine()).isEqualTo(BIG_LINE);
            assertThat(List.of(reader.readLine(), reader.readLine())).containsExactlyInAnyOrder("b", "c");
            for (Thread sender : senders) {
                sender.join();
            }
            client.send("e");
            assertThat(reader.readLine()).isEqualTo("e");
            assertThat(events).containsExactly("limit SEND_QUEUE client#1");
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsWaitInTheBacklogAndAreServedWhenAClientLeaves() throws Exception {
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class);
                var server = start(Servers.echo(), ServerOptions.builder().maxConnections(1).backlog(5))) {
            var first = lineClient(server);
            first.send("one");
            assertThat(first.receive()).isEqualTo("one");
            try (var second = lineClient(server)) {
                second.send("two");
                await().until(() -> events.contains("limit MAX_CONNECTIONS -"));
                assertThatThrownBy(() -> second.receive(Duration.ofMillis(300))).as("nothing while the first is served")
                        .isInstanceOf(SocketTimeoutException.class);

                first.close();
                assertThat(second.receive()).isEqualTo("two");
                // reached again as the second client took the first one's place
                await().until(() -> events.size() == 2);
                assertThat(events).containsExactly("limit MAX_CONNECTIONS -", "limit MAX_CONNECTIONS -");
            }
            assertThat(logs.messages(Level.WARN)).containsExactly("1 clients are connected to " + server.path()
                    + ", its maxConnections: new connections wait in the backlog (at most 5) until a client leaves");
        }
    }

    @Test
    void packetSizeReceiveTimeoutAndIdleTimeoutAreReportedAsLimits() throws Exception {
        var rounds = new AtomicInteger();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                client.send(switch (rounds.incrementAndGet()) {
                    case 1 -> requests.receive();
                    case 2 -> requests.receive(RecvParams.timeout(Duration.ofMillis(100)));
                    default -> requests.receive(RecvParams.DEFAULT);
                });
            } catch (StreamProtocolParseException | SocketTimeoutException e) {
                client.send(e.getClass().getSimpleName());
            }
        };
        var options = ServerOptions.builder().maxPacketSize(10).idleTimeout(Duration.ofMillis(400));
        try (var server = start(handler, options); var client = lineClient(server)) {
            client.send("0123456789ab");
            assertThat(client.receive()).isEqualTo("StreamProtocolParseException");
            assertThat(client.receive()).isEqualTo("SocketTimeoutException");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            await().until(() -> events.contains("disconnected client#1 TIMEOUT"));
            assertThat(events).containsExactly("limit PACKET_SIZE client#1", "limit RECEIVE_TIMEOUT client#1",
                    "limit IDLE_TIMEOUT client#1", "disconnected client#1 TIMEOUT");
        }
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler,
            ServerOptions.Builder options) throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, handler, options.build());
        server.addListener(new ServerListener() {
            @Override
            public void limitReached(AsyncUnixStreamServer<?, ?> server, @Nullable StreamClient<?> client,
                    Limit limit) {
                events.add("limit " + limit + " " + (client == null ? "-" : client.id()));
            }

            @Override
            public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
                if (reason != DisconnectReason.NORMAL) {
                    events.add("disconnected " + client.id() + " " + reason);
                }
            }
        });
        server.start();
        return server;
    }

    private static RawClient rawClient(AsyncUnixStreamServer<?, ?> server) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(server.path()));
        return new RawClient(channel, new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8)));
    }

    /** A client on a plain channel, which writes what a test says when it says it, and reads only when told to. */
    private record RawClient(SocketChannel channel, BufferedReader reader) implements AutoCloseable {

        void write(String text) throws IOException {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        String readLine() throws IOException {
            String line = reader.readLine();
            if (line == null) {
                throw new EOFException("the server ended the stream");
            }
            return line;
        }

        /** Reads one character: what it was, or -1 at the end of the stream. */
        int read() throws IOException {
            return reader.read();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
