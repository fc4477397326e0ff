package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.RawSerializer;
import io.easynet.transport.StreamClosedException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link PacketStream} over real Unix-domain sockets, one connected pair per test. */
// A separate thread, so that a test stuck in an uninterruptible wait still fails instead of hanging the build.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PacketStreamTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    private static final StreamProtocol<JsonNode, JsonNode> JSON = StreamProtocol.of(JsonSerializer.tree());

    private static final StreamProtocol<byte[], byte[]> FRAMES = StreamProtocol.of(LengthPrefixedSerializer.INSTANCE);

    @TempDir
    Path dir;

    private UnixListener listener;

    /** The client's end of the connection. */
    private UnixConnection clientEnd;

    /** The server's end of the connection. */
    private UnixConnection serverEnd;

    private final List<PacketStream<?, ?>> streams = new ArrayList<>();

    /** The transport the pair is connected with; a subclass runs every test on another. */
    UnixTransport transport() {
        return UnixTransport.jdk();
    }

    @BeforeEach
    void connectAPair() throws IOException {
        Path socket = dir.resolve("stream.sock");
        listener = transport().listen(socket, 16);
        clientEnd = transport().connect(socket, null, CONNECT_TIMEOUT);
        serverEnd = listener.accept();
    }

    @AfterEach
    void closeEverything() throws IOException {
        for (PacketStream<?, ?> stream : streams) {
            stream.close();
        }
        clientEnd.close();
        serverEnd.close();
        listener.close();
    }

    // ---- sending and receiving ------------------------------------------------------------------------------

    @Test
    void packetsSentByOneEndArriveAtTheOtherInOrder() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);

        client.send("hello");
        client.send("wörld");
        client.send("");
        server.send("back");

        assertThat(server.receive(null)).isEqualTo("hello");
        assertThat(server.receive(null)).isEqualTo("wörld");
        assertThat(server.receive(Duration.ofSeconds(5))).isEqualTo("");
        assertThat(client.receive(null)).isEqualTo("back");
    }

    @Test
    void bytesOnTheWireAreTheProtocolsEncoding() throws Exception {
        PacketStream<JsonNode, JsonNode> client = clientStream(JSON);
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", "é");

        client.send(document);
        client.sendEof();

        assertThat(readAll(serverEnd)).isEqualTo("{\"name\":\"\\u00e9\"}\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void timedReceiveWithNoDataTimesOutAndTheNextReceiveGetsThePacketSentLater() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);

        assertThatThrownBy(() -> server.receive(Duration.ofMillis(100)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no packet from client within 100 ms");
        assertThatThrownBy(() -> server.receive(Duration.ofMillis(50)))
                .as("a second timeout while the first read is still pending")
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no packet from client within 50 ms");

        client.send("late");
        client.send("later");

        assertThat(server.receive(null)).isEqualTo("late");
        assertThat(server.receive(Duration.ofSeconds(5))).isEqualTo("later");
        assertThat(server.isAtEndOfStream()).isFalse();
    }

    @Test
    void timedReceiveThatRunsOutLetsALaterTimedReceiveFinishThePendingRead() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);

        assertThatThrownBy(() -> server.receive(Duration.ofMillis(100))).isInstanceOf(SocketTimeoutException.class);
        client.send("picked up");

        assertThat(server.receive(Duration.ofSeconds(5))).isEqualTo("picked up");
    }

    @Test
    void packetSplitAcrossWritesWithATimedReceiveInBetweenIsReceivedWhole() throws Exception {
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<JsonNode, JsonNode> server = stream(serverEnd, JSON, "client", 1024, 1024, serverTraffic);

        writeRaw(clientEnd, "{\"half\":");
        // Timed receives run out, until one of them has read the first half and kept it.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            assertThatThrownBy(() -> server.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
            return serverTraffic.totalBytesReceived() == 8;
        });

        writeRaw(clientEnd, "1}\n");

        assertThat(server.receive(Duration.ofSeconds(5)))
                .isEqualTo(JsonNodeFactory.instance.objectNode().put("half", 1));
        assertThat(serverTraffic.packetsReceived()).isEqualTo(1);
    }

    @Test
    void severalPacketsFromOneWriteAreReceivedOneByOne() throws Exception {
        PacketStream<String, String> server = serverStream(LINES);

        writeRaw(clientEnd, "one\ntwo\nthree\n");

        assertThat(server.receive(null)).isEqualTo("one");
        assertThat(server.receive(null)).isEqualTo("two");
        assertThat(server.receive(null)).isEqualTo("three");
    }

    @Test
    void jsonNullIsReceivedAsAPacket() throws Exception {
        PacketStream<JsonNode, JsonNode> server = serverStream(JSON);

        writeRaw(clientEnd, "null\n1\n");

        assertThat(server.receive(null)).isEqualTo(JsonNodeFactory.instance.nullNode());
        assertThat(server.receive(null)).isEqualTo(JsonNodeFactory.instance.numberNode(1));
    }

    @Test
    void packetThatCannotBeEncodedIsRefusedAndNothingIsSent() throws Exception {
        RecordingListener clientTraffic = new RecordingListener();
        PacketStream<String, String> client = stream(clientEnd, LINES, "server", 1024, 1024, clientTraffic);
        PacketStream<String, String> server = serverStream(LINES);

        assertThatThrownBy(() -> client.send("two\nlines")).isInstanceOf(IllegalArgumentException.class);
        client.send("fine");

        assertThat(server.receive(null)).isEqualTo("fine");
        assertThat(clientTraffic.sent()).containsExactly(5);
    }

    // ---- end of stream --------------------------------------------------------------------------------------

    @Test
    void endOfStreamWithNoPartialPacketSaysTheStreamEnded() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);

        client.send("last");
        client.sendEof();

        assertThat(server.receive(null)).isEqualTo("last");
        assertThatThrownBy(() -> server.receive(null))
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream");
        assertThat(server.isAtEndOfStream()).isTrue();
        assertThatThrownBy(() -> server.receive(Duration.ofSeconds(1)))
                .as("end of stream is sticky")
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream");

        server.send("the other direction still works");
        assertThat(client.receive(null)).isEqualTo("the other direction still works");
    }

    @Test
    void endOfStreamInsideAPacketSaysHowManyBytesAreLost() throws Exception {
        PacketStream<JsonNode, JsonNode> server = serverStream(JSON);

        writeRaw(clientEnd, "{\"a\":1}\n{\"a\":");
        clientEnd.shutdownOutput();

        assertThat(server.receive(null)).isEqualTo(JsonNodeFactory.instance.objectNode().put("a", 1));
        assertThatThrownBy(() -> server.receive(null))
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream inside a packet; 5 bytes of it are lost");
        assertThat(server.isAtEndOfStream()).isTrue();
    }

    @Test
    void endOfStreamInsideAFrameCountsTheHeaderAmongTheLostBytes() throws Exception {
        PacketStream<byte[], byte[]> server = serverStream(FRAMES);

        clientEnd.writeFully(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 'a', 'b', 'c'}));
        clientEnd.shutdownOutput();

        assertThatThrownBy(() -> server.receive(Duration.ofSeconds(5)))
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream inside a packet; 7 bytes of it are lost");
    }

    @Test
    void endOfStreamAfterATimedOutReceiveIsReportedByTheNextReceive() throws Exception {
        PacketStream<String, String> server = serverStream(LINES);

        assertThatThrownBy(() -> server.receive(Duration.ofMillis(100))).isInstanceOf(SocketTimeoutException.class);
        clientEnd.shutdownOutput();

        assertThatThrownBy(() -> server.receive(null))
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream");
    }

    @Test
    void failedWriteOfAWholeFrameKeepsWhatThePeerSentReadable() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        serverEnd.writeFully(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
        serverEnd.close();

        assertThatThrownBy(() -> client.send("hello")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot send to server: ");
        assertThat(clientEnd.isOpen()).isTrue();
        assertThat(client.receive(null)).isEqualTo("bye");
    }

    @Test
    void writeThatFailsInsideAFrameClosesTheConnection() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                client.send("x".repeat(8 * 1024 * 1024));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
        ByteBuffer first = ByteBuffer.allocate(1);
        serverEnd.read(first);
        serverEnd.close();

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .hasMessageContaining("cannot send to server: ");
        assertThat(clientEnd.isOpen()).isFalse();
    }

    @Test
    void receiveAfterAFailedReadNeverReturnsAPacketAgain() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        serverEnd.writeFully(ByteBuffer.wrap("first\nsecond\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(client.receive(null)).isEqualTo("first");
        assertThat(client.receive(null)).isEqualTo("second");
        assertThatThrownBy(() -> client.receive(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
        client.close();

        assertThatThrownBy(() -> client.receive(null)).isInstanceOf(StreamClosedException.class)
                .hasMessage("connection of server is closed");
        assertThatThrownBy(() -> client.receive(null)).isInstanceOf(StreamClosedException.class);
    }

    @Test
    void stopReadingEndsAWaitingReceiveButLeavesBufferedPacketsReadable() throws Exception {
        PacketStream<String, String> server = serverStream(LINES);
        clientEnd.writeFully(ByteBuffer.wrap("one\ntwo\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(server.receive(null)).isEqualTo("one");
        server.stopReading();

        assertThat(server.receive(null)).isEqualTo("two");
        assertThatThrownBy(() -> server.receive(null)).isExactlyInstanceOf(EOFException.class)
                .hasMessage("client is no longer read from: reading was stopped");
    }

    @Test
    void stopReadingWakesAReceiveBlockedWaitingForBytes() throws Exception {
        PacketStream<String, String> server = serverStream(LINES);
        CompletableFuture<String> receiving = new CompletableFuture<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                receiving.complete(server.receive(null));
            } catch (Throwable e) {
                receiving.completeExceptionally(e);
            }
        });
        await().until(() -> receiver.getState() == Thread.State.WAITING);
        server.stopReading();

        assertThatThrownBy(() -> receiving.get(5, TimeUnit.SECONDS)).hasCauseExactlyInstanceOf(EOFException.class)
                .hasMessageContaining("client is no longer read from: reading was stopped");
    }

    // ---- concurrency ----------------------------------------------------------------------------------------

    @Test
    void concurrentJsonSendsNeverInterleave() throws Exception {
        assertConcurrentSendsArriveIntact(JSON,
                (thread, seq) -> JsonNodeFactory.instance.objectNode().put("t", thread).put("n", seq)
                        .put("pad", padding(thread, seq)),
                node -> {
                    int thread = node.get("t").intValue();
                    int seq = node.get("n").intValue();
                    assertThat(node.get("pad").stringValue()).isEqualTo(padding(thread, seq));
                    assertThat(node.size()).isEqualTo(3);
                    return new int[] {thread, seq};
                });
    }

    @Test
    void concurrentLineSendsNeverInterleave() throws Exception {
        assertConcurrentSendsArriveIntact(LINES,
                (thread, seq) -> thread + " " + seq + " " + padding(thread, seq),
                line -> {
                    String[] parts = line.split(" ", -1);
                    assertThat(parts).hasSize(3);
                    int thread = Integer.parseInt(parts[0]);
                    int seq = Integer.parseInt(parts[1]);
                    assertThat(parts[2]).isEqualTo(padding(thread, seq));
                    return new int[] {thread, seq};
                });
    }

    private <T> void assertConcurrentSendsArriveIntact(StreamProtocol<T, T> protocol,
            BiFunction<Integer, Integer, T> packetOf, Function<T, int[]> identify) throws Exception {
        int threads = 8;
        int packetsPerThread = 500;
        PacketStream<T, T> client = clientStream(protocol);
        PacketStream<T, T> server = stream(serverEnd, protocol, "client", 4096, 64 * 1024,
                PacketStream.TrafficListener.NONE);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService senders = Executors.newFixedThreadPool(threads)) {
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    sent.add(senders.submit(() -> {
                        start.await();
                        for (int seq = 0; seq < packetsPerThread; seq++) {
                            client.send(packetOf.apply(thread, seq));
                        }
                        return null;
                    }));
                }
                start.countDown();

                int[] nextSeq = new int[threads];
                for (int i = 0; i < threads * packetsPerThread; i++) {
                    int[] id = identify.apply(server.receive(Duration.ofSeconds(5)));
                    assertThat(id[1]).as("packet %d of thread %d", i, id[0]).isEqualTo(nextSeq[id[0]]);
                    nextSeq[id[0]]++;
                }
                for (Future<?> future : sent) {
                    future.get(5, TimeUnit.SECONDS);
                }
                assertThat(nextSeq).containsOnly(packetsPerThread);
            } finally {
                // On failure, senders blocked on a full socket would keep the executor from closing.
                senders.shutdownNow();
            }
        }
        client.sendEof();
        assertThatThrownBy(() -> server.receive(Duration.ofSeconds(5)))
                .as("nothing after the last packet")
                .isExactlyInstanceOf(EOFException.class)
                .hasMessage("client ended the stream");
    }

    /** Padding of varying size, up to about 2 KiB, that identifies its packet. */
    private static String padding(int thread, int seq) {
        return String.valueOf((char) ('a' + thread)).repeat((seq * 37) % 2048) + seq;
    }

    @Test
    void secondThreadReceivingWhileOneIsBlockedGetsIllegalStateException() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);
        client.send("warm-up");
        assertThat(server.receive(null)).isEqualTo("warm-up");

        CompletableFuture<String> firstReceiver = new CompletableFuture<>();
        Thread first = Thread.ofVirtual().start(() -> {
            try {
                firstReceiver.complete(server.receive(null));
            } catch (Throwable e) {
                firstReceiver.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> first.getState() == Thread.State.WAITING);

        assertThatThrownBy(() -> server.receive(Duration.ofSeconds(1)))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("another thread is already receiving from client");
        assertThatThrownBy(() -> server.receive(null))
                .isExactlyInstanceOf(IllegalStateException.class);
        assertThat(firstReceiver).isNotDone();

        client.send("for the first receiver");

        assertThat(firstReceiver.get(5, TimeUnit.SECONDS)).isEqualTo("for the first receiver");
        client.send("and then anyone");
        assertThat(server.receive(null)).isEqualTo("and then anyone");
    }

    // ---- traffic listener -----------------------------------------------------------------------------------

    @Test
    void trafficListenerCountsAScriptedExchangeExactly() throws Exception {
        RecordingListener clientTraffic = new RecordingListener();
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<String, String> client = stream(clientEnd, LINES, "server", 1024, 1024, clientTraffic);
        PacketStream<String, String> server = stream(serverEnd, LINES, "client", 1024, 1024, serverTraffic);

        client.send("ping");
        client.send("hello world");
        assertThat(server.receive(null)).isEqualTo("ping");
        assertThat(server.receive(null)).isEqualTo("hello world");
        writeRaw(clientEnd, new byte[] {(byte) 0xff, '\n'});
        assertThatThrownBy(() -> server.receive(null)).isInstanceOf(StreamProtocolParseException.class);
        server.send("pong");
        assertThat(client.receive(null)).isEqualTo("pong");
        client.sendEof();
        assertThatThrownBy(() -> server.receive(null)).isInstanceOf(EOFException.class);

        assertThat(clientTraffic.sent()).containsExactly(5, 12);
        assertThat(clientTraffic.totalBytesReceived()).isEqualTo(5);
        assertThat(clientTraffic.packetsReceived()).isEqualTo(1);
        assertThat(serverTraffic.sent()).containsExactly(5);
        assertThat(serverTraffic.totalBytesReceived()).as("5 + 12 + 2 bad bytes").isEqualTo(19);
        assertThat(serverTraffic.reads()).as("end of stream is not a read of bytes").allSatisfy(
                count -> assertThat(count).isPositive());
        assertThat(serverTraffic.packetsReceived()).as("the invalid line is not a packet").isEqualTo(2);
    }

    @Test
    void sentPacketSizesIncludeTheFraming() throws Exception {
        RecordingListener clientTraffic = new RecordingListener();
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<byte[], byte[]> client = stream(clientEnd, FRAMES, "server", 1024, 1024, clientTraffic);
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 1024, 1024, serverTraffic);

        client.send(new byte[] {1, 2, 3});
        client.send(new byte[0]);

        assertThat(server.receive(null)).containsExactly(1, 2, 3);
        assertThat(server.receive(null)).isEmpty();
        assertThat(clientTraffic.sent()).containsExactly(7, 4);
        assertThat(serverTraffic.totalBytesReceived()).isEqualTo(11);
        assertThat(serverTraffic.packetsReceived()).isEqualTo(2);
    }

    // ---- buffer growth and limits ---------------------------------------------------------------------------

    @Test
    void receiveBufferGrowsForAPacketLargerThanItsInitialSize() throws Exception {
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES, "client", 16, 4096, serverTraffic);
        String large = "0123456789".repeat(100);

        client.send(large);
        client.send("small");

        assertThat(server.receive(null)).isEqualTo(large);
        assertThat(server.receive(null)).isEqualTo("small");
        assertThat(serverTraffic.reads()).as("no read asks for more than the receive buffer size")
                .allSatisfy(count -> assertThat(count).isBetween(1, 16));
        assertThat(serverTraffic.totalBytesReceived()).isEqualTo(1007);
    }

    @Test
    void receiveBufferGrowsWhenThePacketLimitIsIntegerMaxValue() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES, "client", 16, Integer.MAX_VALUE,
                PacketStream.TrafficListener.NONE);
        String large = "abcdefghij".repeat(100);

        client.send(large);

        assertThat(server.receive(null)).isEqualTo(large);
    }

    @Test
    void receiveBufferGrowsForALargeFrame() throws Exception {
        PacketStream<byte[], byte[]> client = clientStream(FRAMES);
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 16, 4096,
                PacketStream.TrafficListener.NONE);
        byte[] large = new byte[4096];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }

        client.send(large);
        client.send(new byte[] {42});

        assertThat(server.receive(null)).isEqualTo(large);
        assertThat(server.receive(null)).containsExactly(42);
    }

    @Test
    void anIdleStreamHoldsASmallReceiveBufferWhateverTheMostOneReadAsksFor() throws Exception {
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 16 * 1024, 64 * 1024,
                PacketStream.TrafficListener.NONE);

        assertThat(server.receiveBufferCapacity()).isEqualTo(AdaptiveReadSize.INITIAL);
        assertThatThrownBy(() -> server.receive(Duration.ofMillis(20))).isInstanceOf(SocketTimeoutException.class);
        assertThat(server.receiveBufferCapacity()).as("while a read waits for bytes")
                .isEqualTo(AdaptiveReadSize.INITIAL);
    }

    @Test
    void aOneMebibytePacketArrivesIntactInReadsGrowingToTheReadSizeAndTheBufferShrinksBackOnceThePeerSendsLittle()
            throws Exception {
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<byte[], byte[]> client = stream(clientEnd, FRAMES, "server", 16 * 1024, 2 * 1024 * 1024,
                PacketStream.TrafficListener.NONE);
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 16 * 1024, 2 * 1024 * 1024,
                serverTraffic);
        byte[] large = new byte[1024 * 1024];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + (i >>> 8));
        }

        CompletableFuture<Void> sending = new CompletableFuture<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                client.send(large);
                sending.complete(null);
            } catch (Throwable e) {
                sending.completeExceptionally(e);
            }
        });
        // The sender waits once the socket buffers are full (about 200 KiB), so the server's first reads find all
        // they ask for. How many reads the rest takes depends on how often the server catches up with the sender,
        // which the scheduler decides, not the test: the reads are not counted, only what each one asked for.
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.getState() == Thread.State.WAITING);
        assertThat(server.receive(null)).isEqualTo(large);
        sending.get(5, TimeUnit.SECONDS);
        assertThat(serverTraffic.reads()).as("1 KiB, the rest of eight times that once the first read filled, then "
                        + "the 16 KiB read size; never more")
                .startsWith(1024, 8 * 1024 - 1024, 8 * 1024, 16 * 1024, 16 * 1024)
                .allSatisfy(count -> assertThat(count).isBetween(1, 16 * 1024));
        assertThat(serverTraffic.totalBytesReceived()).as("the frame's 4-byte header and its body")
                .isEqualTo(4 + large.length);

        for (int i = 0; i < 20; i++) {
            client.send(new byte[] {(byte) i});
            assertThat(server.receive(null)).containsExactly(i);
        }
        assertThatThrownBy(() -> server.receive(Duration.ofMillis(20))).isInstanceOf(SocketTimeoutException.class);
        assertThat(server.receiveBufferCapacity()).as("after small reads, halving every two")
                .isEqualTo(AdaptiveReadSize.MINIMUM);
    }

    @Test
    void aBusyStreamWhoseBufferAlwaysHoldsAPartialPacketReadsAsMuchAsTheReadSizeAsks() throws Exception {
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<String, String> server = stream(serverEnd, LINES, "client", 16 * 1024, 64 * 1024,
                serverTraffic);
        // 64 KiB of 100-byte lines, written at once: every read but the last ends inside a line
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 650; i++) {
            lines.append("%099d".formatted(i).substring(0, 99)).append('\n');
        }
        writeRaw(clientEnd, lines.toString());

        for (int i = 0; i < 650; i++) {
            assertThat(server.receive(null)).hasSize(99);
        }
        assertThat(serverTraffic.reads()).as("the buffer grows to the read size instead of compacting into sips")
                .hasSizeLessThanOrEqualTo(65_000 / (16 * 1024) + 6);
    }

    @Test
    void steadyPacketsLargerThanTheReadSizeKeepTheGrownReceiveBufferInsteadOfGrowingOneEachTime() throws Exception {
        PacketStream<byte[], byte[]> client = stream(clientEnd, FRAMES, "server", 16 * 1024, 64 * 1024,
                PacketStream.TrafficListener.NONE);
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 16 * 1024, 64 * 1024,
                PacketStream.TrafficListener.NONE);
        byte[] packet = new byte[40 * 1024];
        int packets = 500;
        var turn = new java.util.concurrent.Semaphore(1);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            // request/response pacing: the next packet only once the last was received, as a client awaiting answers
            for (int i = 0; i < packets; i++) {
                turn.acquireUninterruptibly();
                sendQuietly(client, packet);
            }
        });
        for (int i = 0; i < 50; i++) {
            server.receive(null);
            turn.release();
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 50; i < packets; i++) {
            server.receive(null);
            turn.release();
        }
        long perPacket = (threads.getCurrentThreadAllocatedBytes() - before) / (packets - 50);
        sending.get(5, TimeUnit.SECONDS);
        // the packet itself is 40 KiB; a kept buffer adds nothing per packet
        assertThat(perPacket).isLessThan(64 * 1024);
    }

    private static void sendQuietly(PacketStream<byte[], byte[]> stream, byte[] packet) {
        try {
            stream.send(packet);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tooLargeLineIsReportedAndSkippedThenTheNextLineIsReceived() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES, "client", 16, 100,
                PacketStream.TrafficListener.NONE);

        client.send("x".repeat(1000));
        client.send("after");
        client.send("y".repeat(101));
        client.send("end");

        assertThatThrownBy(() -> server.receive(null))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PACKET_TOO_LARGE);
                    assertThat(e.streamOffset()).isZero();
                })
                .hasMessageStartingWith("packet of at least ")
                .hasMessageEndingWith(" bytes is larger than the 100-byte limit; skipped up to the next separator "
                        + "(packet at stream offset 0)");
        assertThat(server.receive(null)).isEqualTo("after");
        assertThatThrownBy(() -> server.receive(null))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PACKET_TOO_LARGE);
                    assertThat(e.streamOffset()).isEqualTo(1007);
                });
        assertThat(server.receive(null)).isEqualTo("end");
    }

    @Test
    void invalidLineIsReportedAndTheNextLineIsReceived() throws Exception {
        PacketStream<JsonNode, JsonNode> server = serverStream(JSON);

        writeRaw(clientEnd, "{\"ok\":1}\n{bad\n{\"ok\":2}\n");

        assertThat(server.receive(null)).isEqualTo(JsonNodeFactory.instance.objectNode().put("ok", 1));
        assertThatThrownBy(() -> server.receive(null))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_PACKET);
                    assertThat(e.streamOffset()).isEqualTo(9);
                })
                .hasMessageEndingWith(" in \"{bad\" (packet at stream offset 9)");
        assertThat(server.receive(null)).isEqualTo(JsonNodeFactory.instance.objectNode().put("ok", 2));
    }

    @Test
    void tooLargeFrameIsSkippedWithoutBufferingItThenTheNextFrameIsReceived() throws Exception {
        RecordingListener serverTraffic = new RecordingListener();
        PacketStream<byte[], byte[]> client = clientStream(FRAMES);
        PacketStream<byte[], byte[]> server = stream(serverEnd, FRAMES, "client", 1024, 64 * 1024, serverTraffic);
        byte[] tooLarge = new byte[200 * 1024];
        Arrays.fill(tooLarge, (byte) 'z');

        // The frame is larger than the socket buffers: it can only be written while the server reads.
        CompletableFuture<Void> sending = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                client.send(tooLarge);
                client.send("ok".getBytes(StandardCharsets.US_ASCII));
                sending.complete(null);
            } catch (Throwable e) {
                sending.completeExceptionally(e);
            }
        });

        assertThatThrownBy(() -> server.receive(null))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PACKET_TOO_LARGE);
                    assertThat(e.streamOffset()).isZero();
                })
                .hasMessage("frame of 204800 bytes is larger than the 65536-byte limit; its body is skipped (packet "
                        + "at stream offset 0)");
        assertThat(server.receive(null)).containsExactly('o', 'k');
        sending.get(5, TimeUnit.SECONDS);
        assertThat(serverTraffic.reads()).allSatisfy(count -> assertThat(count).isBetween(1, 1024));
        assertThat(serverTraffic.totalBytesReceived()).isEqualTo(204804 + 6);
    }

    @Test
    void closingTheStreamReleasesTheDecoderOnce() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        StreamSerializer<String> counting = new StreamSerializer<>() {
            @Override
            public void encode(String packet, io.easynet.protocol.PacketBuffer out) {
                new LineSerializer().encode(packet, out);
            }

            @Override
            public io.easynet.protocol.StreamDecoder<String> newDecoder(int maxPacketSize) {
                var lines = new LineSerializer().newDecoder(maxPacketSize);
                return new io.easynet.protocol.StreamDecoder<>() {
                    @Override
                    public boolean decode(ByteBuffer buffer, java.util.function.Consumer<? super String> sink)
                            throws StreamProtocolParseException {
                        return lines.decode(buffer, sink);
                    }

                    @Override
                    public void close() {
                        closes.incrementAndGet();
                    }
                };
            }
        };
        PacketStream<String, String> server = serverStream(StreamProtocol.of(counting));
        server.close();
        server.close();

        assertThat(closes).hasValue(1);
        assertThatThrownBy(() -> server.receive(null)).isInstanceOf(StreamClosedException.class)
                .hasMessage("connection of client is closed");
    }

    // ---- copies of large packets ----------------------------------------------------------------------------

    @Test
    void rawBytesAreReadIntoADirectBufferAndArriveIntactWhileItGrowsFromTheFirstReadSize() throws Exception {
        PacketStream<byte[], byte[]> client = clientStream(StreamProtocol.of(RawSerializer.INSTANCE));
        PacketStream<byte[], byte[]> server = stream(serverEnd, StreamProtocol.of(RawSerializer.INSTANCE), "client",
                16 * 1024, 64 * 1024, PacketStream.TrafficListener.NONE);
        byte[] sent = new byte[10 * 1024];
        new Random(7).nextBytes(sent);

        client.send(sent);
        ByteBuffer received = ByteBuffer.allocate(sent.length);
        while (received.hasRemaining()) {
            received.put(server.receive(Duration.ofSeconds(5)));
        }

        assertThat(received.array()).isEqualTo(sent);
        assertThat(server.receiveBufferIsDirect()).isTrue();
        assertThat(server.receiveBufferCapacity()).as("grown past the first read size")
                .isGreaterThan(AdaptiveReadSize.INITIAL);
    }

    @Test
    void decodersThatScanTheArrayReadIntoAHeapBuffer() throws Exception {
        PacketStream<String, String> client = clientStream(LINES);
        PacketStream<String, String> server = serverStream(LINES);

        client.send("x".repeat(4096));

        assertThat(server.receive(Duration.ofSeconds(5))).hasSize(4096);
        assertThat(server.receiveBufferIsDirect()).isFalse();
    }

    @Test
    void aFrameTheSerializerHoldsIsWrittenAsItStandsFromOneKibibyteAndEncodedBelow() throws Exception {
        StreamSerializer<byte[]> markedWhenEncoded = new StreamSerializer<>() {
            @Override
            public void encode(byte[] packet, PacketBuffer out) {
                out.write('E');
                out.write(packet, 0, packet.length);
            }

            @Override
            public byte[] frameOf(byte[] packet) {
                return packet;
            }

            @Override
            public StreamDecoder<byte[]> newDecoder(int maxPacketSize) {
                return RawSerializer.INSTANCE.newDecoder(maxPacketSize);
            }
        };
        RecordingListener traffic = new RecordingListener();
        PacketStream<byte[], byte[]> client = stream(clientEnd, StreamProtocol.of(markedWhenEncoded), "server", 1024,
                64 * 1024, traffic);
        byte[] small = new byte[1023];
        Arrays.fill(small, (byte) 's');
        byte[] large = new byte[1024];
        Arrays.fill(large, (byte) 'l');

        client.send(small);
        client.send(large);
        client.sendEof();

        byte[] expected = new byte[1 + small.length + large.length];
        expected[0] = 'E';
        System.arraycopy(small, 0, expected, 1, small.length);
        System.arraycopy(large, 0, expected, 1 + small.length, large.length);
        assertThat(readAll(serverEnd)).isEqualTo(expected);
        assertThat(traffic.sent).containsExactly(1024, 1024);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private <T> PacketStream<T, T> clientStream(StreamProtocol<T, T> protocol) {
        return stream(clientEnd, protocol, "server", 1024, 64 * 1024, PacketStream.TrafficListener.NONE);
    }

    private <T> PacketStream<T, T> serverStream(StreamProtocol<T, T> protocol) {
        return stream(serverEnd, protocol, "client", 1024, 64 * 1024, PacketStream.TrafficListener.NONE);
    }

    private <O, I> PacketStream<O, I> stream(UnixConnection connection, StreamProtocol<O, I> protocol,
            String description, int receiveBufferSize, int maxPacketSize, PacketStream.TrafficListener traffic) {
        PacketStream<O, I> stream = new PacketStream<>(connection, protocol, description, receiveBufferSize,
                maxPacketSize, traffic);
        streams.add(stream);
        return stream;
    }

    private static void writeRaw(UnixConnection connection, String text) throws IOException {
        writeRaw(connection, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeRaw(UnixConnection connection, byte[] bytes) throws IOException {
        connection.writeFully(ByteBuffer.wrap(bytes));
    }

    private static byte[] readAll(UnixConnection connection) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (connection.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                throw new AssertionError("more than 64 KiB");
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** Records every callback; the lists are safe to read from the test thread. */
    private static final class RecordingListener implements PacketStream.TrafficListener {

        private final List<Integer> reads = new CopyOnWriteArrayList<>();

        private final List<Integer> sent = new CopyOnWriteArrayList<>();

        private final AtomicInteger packetsReceived = new AtomicInteger();

        @Override
        public void bytesReceived(int count) {
            reads.add(count);
        }

        @Override
        public void packetReceived() {
            packetsReceived.incrementAndGet();
        }

        @Override
        public void packetSent(int size) {
            sent.add(size);
        }

        List<Integer> reads() {
            return reads;
        }

        int totalBytesReceived() {
            return reads.stream().mapToInt(Integer::intValue).sum();
        }

        int packetsReceived() {
            return packetsReceived.get();
        }

        List<Integer> sent() {
            return sent;
        }
    }
}
