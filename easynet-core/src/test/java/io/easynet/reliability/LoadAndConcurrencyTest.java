package io.easynet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Load and concurrency through real sockets: many threads sending on one {@link StreamClient} never interleave
 * their frames, and a thousand clients doing request/response at once each get exactly their own answers.
 */
class LoadAndConcurrencyTest {

    private static final int SENDER_THREADS = 8;

    private static final int FRAMES_PER_THREAD = 2_000;

    /** Larger than the default Unix socket send buffer (208 KiB), so these frames take several writes. */
    private static final int LARGE_FRAME = 320 * 1024;

    /** Frame header: sender thread, sequence number. */
    private static final int HEADER = 8;

    private static final int CLIENTS = 1_000;

    private static final Duration LOAD_BUDGET = Duration.ofSeconds(5);

    /** How long a client waits for its response before counting it lost. */
    private static final Duration RESPONSE_WAIT = Duration.ofSeconds(10);

    private static final int MAX_PAYLOAD_CHARS = 4_096;

    private static final String PAYLOAD_CHARS = "abcXYZ0189 \"\\/\t\n\u00e9\u4e2d\uD83D\uDE00";

    private static final long SEED = 20261125L;

    private static final AtomicLong FRAMES_INTACT = new AtomicLong();

    private static final AtomicLong REQUESTS_CHECKED = new AtomicLong();

    private static final AtomicLong RESPONSES_LOST = new AtomicLong();

    private static final AtomicLong MISMATCHES = new AtomicLong();

    @TempDir
    Path dir;

    @AfterAll
    static void printSummary() {
        System.out.println("load: clients " + CLIENTS + ", requests checked " + REQUESTS_CHECKED.get()
                + ", responses lost " + RESPONSES_LOST.get() + ", mismatches " + MISMATCHES.get()
                + "; concurrent sends: " + FRAMES_INTACT.get() + " frames intact");
    }

    // ---- concurrent sends on one client

    /** The payload size of a frame, known to both ends: mostly small, one in a hundred larger than the buffer. */
    private static int payloadSize(int thread, int seq) {
        if (seq % 100 == 37) {
            return LARGE_FRAME + thread;
        }
        return new SplittableRandom(SEED + thread * 1_000_003L + seq).nextInt(0, 4_096);
    }

    private static byte payloadByte(int thread, int seq, int index) {
        return (byte) (index * 31 + thread * 7 + seq);
    }

    private static byte[] frame(int thread, int seq) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payloadSize(thread, seq)).putInt(thread).putInt(seq);
        for (int i = 0; frame.hasRemaining(); i++) {
            frame.put(payloadByte(thread, seq, i));
        }
        return frame.array();
    }

    /** Checks one received frame against what its sender thread sent next; returns its sender thread. */
    private static int checkFrame(byte[] frame, int[] nextSeq) {
        assertThat(frame.length).as("frame length").isGreaterThanOrEqualTo(HEADER);
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        int thread = buffer.getInt();
        int seq = buffer.getInt();
        assertThat(thread).as("sender thread").isBetween(0, SENDER_THREADS - 1);
        assertThat(seq).as("sequence of thread %d", thread).isEqualTo(nextSeq[thread]);
        assertThat(frame.length).as("length of frame %d of thread %d", seq, thread)
                .isEqualTo(HEADER + payloadSize(thread, seq));
        for (int i = 0; i < frame.length - HEADER; i++) {
            if (frame[HEADER + i] != payloadByte(thread, seq, i)) {
                throw new AssertionError("frame " + seq + " of thread " + thread + " differs at payload byte " + i);
            }
        }
        nextSeq[thread]++;
        return thread;
    }

    @Test
    @Timeout(60)
    void eightThreadsSendingOnOneClientNeverInterleaveFrames() throws Exception {
        var senderErrors = new ConcurrentLinkedQueue<Throwable>();
        StreamRequestHandler<byte[], byte[]> blast = (client, requests) -> {
            requests.receive();
            var start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < SENDER_THREADS; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().name("sender-" + t).start(() -> {
                    try {
                        start.await();
                        for (int seq = 0; seq < FRAMES_PER_THREAD; seq++) {
                            client.send(frame(thread, seq));
                        }
                    } catch (Throwable e) {
                        senderErrors.add(e);
                    }
                }));
            }
            start.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
        };
        var protocol = StreamProtocol.of(LengthPrefixedSerializer.INSTANCE);
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("sends.sock"), protocol, blast);
                var client = startAndConnect(server, protocol, 2 * LARGE_FRAME)) {
            client.send(new byte[] {1});
            int[] nextSeq = new int[SENDER_THREADS];
            int total = SENDER_THREADS * FRAMES_PER_THREAD;
            for (int i = 0; i < total; i++) {
                checkFrame(client.receive(RESPONSE_WAIT), nextSeq);
            }
            // the handler's round is over once its senders are; ending our side ends the connection, and nothing
            // may come before that end: every frame arrived exactly once
            client.sendEof();
            assertThatThrownBy(() -> client.receive(RESPONSE_WAIT)).isInstanceOf(EOFException.class);
            assertThat(senderErrors).isEmpty();
            int[] all = new int[SENDER_THREADS];
            Arrays.fill(all, FRAMES_PER_THREAD);
            assertThat(nextSeq).containsExactly(all);
            FRAMES_INTACT.addAndGet(total);
        }
    }

    private static <Req, Resp> UnixStreamClient<Req, Resp> startAndConnect(AsyncUnixStreamServer<?, ?> server,
            StreamProtocol<Req, Resp> protocol, int maxPacketSize) throws Exception {
        server.start();
        return UnixStreamClient.connect(server.path(), protocol,
                ClientOptions.defaults().withMaxPacketSize(maxPacketSize));
    }

    // ---- a thousand clients, no cross-talk

    /** What one client did in the load run. */
    private record ClientRun(int checked, int lost, List<String> mismatches, String servedBy) {
    }

    @Test
    @Timeout(60)
    void aThousandClientsUnderLoadEachGetExactlyTheirOwnResponses() throws Exception {
        long fdLimit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertThat(fdLimit).as("open file limit (ulimit -n): both ends of %d connections live in this JVM", CLIENTS)
                .isGreaterThanOrEqualTo(2L * CLIENTS + 500);
        var served = new AtomicLong();
        StreamRequestHandler<JsonNode, JsonNode> echoWithId = (client, requests) -> {
            ObjectNode request = (ObjectNode) requests.receive();
            request.put("served_by", client.id());
            served.incrementAndGet();
            client.send(request);
        };
        var protocol = StreamProtocol.of(JsonSerializer.tree());
        var options = ServerOptions.builder().backlog(CLIENTS).shutdownGracePeriod(Duration.ofSeconds(5)).build();
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("load.sock"), protocol, echoWithId, options);
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            server.start();
            var connected = new CountDownLatch(CLIENTS);
            var go = new CountDownLatch(1);
            List<Future<ClientRun>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientId = c;
                runs.add(clients.submit(() -> runClient(server.path(), protocol, clientId, connected, go)));
            }
            assertThat(connected.await(30, TimeUnit.SECONDS)).as("all %d clients connected", CLIENTS).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.clients().size() == CLIENTS);
            go.countDown();

            long checked = 0;
            long lost = 0;
            List<String> mismatches = new ArrayList<>();
            Set<String> servedBy = new HashSet<>();
            for (Future<ClientRun> future : runs) {
                ClientRun run = future.get();
                checked += run.checked();
                lost += run.lost();
                mismatches.addAll(run.mismatches());
                servedBy.add(run.servedBy());
                assertThat(run.checked()).as("requests of one client").isPositive();
            }
            REQUESTS_CHECKED.addAndGet(checked);
            RESPONSES_LOST.addAndGet(lost);
            MISMATCHES.addAndGet(mismatches.size());
            assertThat(mismatches).as("mismatched responses").isEmpty();
            assertThat(lost).as("responses lost").isZero();
            assertThat(checked).as("responses checked by clients = requests served").isEqualTo(served.get());
            assertThat(servedBy).as("one server-side client per connection").hasSize(CLIENTS);
        }
    }

    /**
     * One client: connects, waits for the others, then does request/response until the budget is spent. Each
     * request carries its client id, sequence number and a random payload; the response must be that request plus
     * the same server-side client id every time.
     */
    private static ClientRun runClient(Path path, StreamProtocol<JsonNode, JsonNode> protocol, int clientId,
            CountDownLatch connected, CountDownLatch go) throws Exception {
        var random = new SplittableRandom(SEED + clientId);
        int checked = 0;
        List<String> mismatches = new ArrayList<>();
        String servedBy = "";
        try (var client = UnixStreamClient.connect(path, protocol)) {
            connected.countDown();
            go.await();
            long deadline = System.nanoTime() + LOAD_BUDGET.toNanos();
            for (int seq = 0; System.nanoTime() < deadline; seq++) {
                ObjectNode request = JsonMapper.shared().createObjectNode().put("client", clientId).put("seq", seq)
                        .put("payload", randomPayload(random));
                client.send(request);
                JsonNode response;
                try {
                    response = client.receive(RESPONSE_WAIT);
                } catch (SocketTimeoutException e) {
                    return new ClientRun(checked, 1, mismatches, servedBy);
                }
                if (servedBy.isEmpty()) {
                    servedBy = response.path("served_by").asString("");
                }
                ObjectNode expected = request.deepCopy().put("served_by", servedBy);
                if (servedBy.isEmpty() || !response.equals(expected)) {
                    mismatches.add("client " + clientId + " seq " + seq + " got " + response);
                }
                checked++;
            }
        }
        return new ClientRun(checked, 0, mismatches, servedBy);
    }

    private static String randomPayload(SplittableRandom random) {
        int length = random.nextInt(0, MAX_PAYLOAD_CHARS + 1);
        var payload = new StringBuilder(length);
        while (payload.length() < length) {
            int index = random.nextInt(0, PAYLOAD_CHARS.length());
            if (Character.isHighSurrogate(PAYLOAD_CHARS.charAt(index))) {
                payload.append(PAYLOAD_CHARS, index, index + 2);
            } else if (!Character.isLowSurrogate(PAYLOAD_CHARS.charAt(index))) {
                payload.append(PAYLOAD_CHARS.charAt(index));
            }
        }
        return payload.toString();
    }
}
