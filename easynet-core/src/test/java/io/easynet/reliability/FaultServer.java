package io.easynet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.RequestStream;
import io.easynet.server.ServerListener;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A text-line server on a real socket whose handler injects the fault a request names, records how each client's
 * session ended, and counts what its listener saw; plus a well-behaved client, connected before any fault, that
 * shows the server keeps serving others.
 *
 * <p>Requests: {@code id} answers the client's id; {@code big <n>} answers one line of {@code n} bytes;
 * {@code throw} throws; {@code block} waits on {@link #stuckLock} without heeding interrupts; {@code spin}
 * busy-waits on its carrier thread, heeding neither interrupts nor the connection, until {@link #releaseSpinners()};
 * {@code leak <name>} starts a platform thread that keeps the client and tries to send to it once
 * {@link #releaseLeaked()} is called; anything else is echoed.
 */
final class FaultServer implements AutoCloseable {

    static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    static final Duration RESPONSE_WAIT = Duration.ofSeconds(10);

    /** Held by the test while a {@code block} handler must stay stuck; {@code lock()} ignores interrupts. */
    final ReentrantLock stuckLock = new ReentrantLock();

    final AtomicInteger connected = new AtomicInteger();

    final AtomicInteger disconnected = new AtomicInteger();

    final AtomicInteger handlerFailures = new AtomicInteger();

    /** Responses written, by client id. */
    private final Map<String, AtomicInteger> responsesSent = new ConcurrentHashMap<>();

    /** The clients whose handler has begun to answer a {@code big} request. */
    private final Set<String> bigSenders = ConcurrentHashMap.newKeySet();

    final Map<ServerListener.DisconnectReason, AtomicInteger> disconnectReasons = new ConcurrentHashMap<>();

    /** What ended each client's last round, by client id: the exception the handler saw, or a leaked send's. */
    final Map<String, Throwable> outcomes = new ConcurrentHashMap<>();

    private final CountDownLatch leakRelease = new CountDownLatch(1);

    /** Counted down when a {@code spin} handler starts its busy wait. */
    final CountDownLatch spinning = new CountDownLatch(1);

    private volatile boolean spinReleased;

    final AsyncUnixStreamServer<String, String> server;

    private final UnixStreamClient<String, String> bystander;

    private int bystanderRequests;

    FaultServer(Path path, ServerOptions options) throws IOException, StreamProtocolParseException {
        server = new AsyncUnixStreamServer<>(path, LINES, this::handle, options);
        server.addListener(new Counts());
        server.start();
        bystander = UnixStreamClient.connect(path, LINES);
        bystanderServes();
    }

    private void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
        try {
            String request = requests.receive();
            if (request.equals("id")) {
                client.send(client.id());
            } else if (request.startsWith("big ")) {
                String big = "x".repeat(Integer.parseInt(request.substring(4)));
                bigSenders.add(client.id());
                client.send(big);
            } else if (request.equals("throw")) {
                throw new IllegalStateException("injected failure for " + client.id());
            } else if (request.equals("block")) {
                stuckLock.lock();
                stuckLock.unlock();
                client.send("unblocked");
            } else if (request.equals("spin")) {
                spinning.countDown();
                while (!spinReleased) {
                    Thread.onSpinWait();
                }
                client.send("spun");
            } else if (request.startsWith("leak ")) {
                Thread.ofPlatform().name(request.substring(5)).start(() -> sendWhenReleased(client));
                client.send("leaked");
            } else {
                client.send(request);
            }
        } catch (Throwable e) {
            outcomes.put(client.id(), e);
            throw e;
        }
    }

    private void sendWhenReleased(StreamClient<String> client) {
        try {
            leakRelease.await();
            client.send("from the leaked thread");
        } catch (Throwable e) {
            outcomes.put(client.id() + " leaked thread", e);
        }
    }

    /** Ends the busy waits of {@code spin} handlers. */
    void releaseSpinners() {
        spinReleased = true;
    }

    /** Lets the leaked threads go on: each tries its send and ends. */
    void releaseLeaked() {
        leakRelease.countDown();
    }

    Path path() {
        return server.path();
    }

    /** Opens a raw connection that writes and reads whatever bytes the test gives it. */
    SocketChannel rawClient() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(server.path()));
    }

    /** Whether the handler of {@code clientId} has received a {@code big} request and is sending its answer. */
    boolean isSendingBig(String clientId) {
        return bigSenders.contains(clientId);
    }

    /** How many responses the server has written to {@code clientId}. */
    int responsesSentTo(String clientId) {
        AtomicInteger count = responsesSent.get(clientId);
        return count == null ? 0 : count.get();
    }

    /** The exception that ended the round of {@code clientId}, waiting for it. */
    Throwable outcomeOf(String clientId) {
        return await().atMost(RESPONSE_WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> outcomes.get(clientId), Objects::nonNull);
    }

    /** The client connected before the fault does a request and gets its own answer back. */
    void bystanderServes() throws IOException, StreamProtocolParseException {
        String request = "bystander " + ++bystanderRequests;
        bystander.send(request);
        String response;
        try {
            response = bystander.receive(RESPONSE_WAIT);
        } catch (java.net.SocketTimeoutException e) {
            FaultTally.RESPONSES_LOST.incrementAndGet();
            throw e;
        }
        assertThat(response).as("bystander's answer").isEqualTo(request);
    }

    /** Counts one fault and checks that the bystander is still served after it. */
    void faultInjected() throws IOException, StreamProtocolParseException {
        FaultTally.FAULTS.incrementAndGet();
        bystanderServes();
        FaultTally.SERVED_AFTER_FAULT.incrementAndGet();
    }

    static void writeAll(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            bystander.close();
        } finally {
            server.close();
        }
    }

    /** Counts the server's events about its clients. */
    private final class Counts implements ServerListener {

        @Override
        public void clientConnected(StreamClient<?> client) {
            connected.incrementAndGet();
        }

        @Override
        public void responseSent(StreamClient<?> client, int size) {
            responsesSent.computeIfAbsent(client.id(), id -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void handlerFailed(StreamClient<?> client, Throwable error) {
            handlerFailures.incrementAndGet();
        }

        @Override
        public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
            disconnectReasons.computeIfAbsent(reason, key -> new AtomicInteger()).incrementAndGet();
            disconnected.incrementAndGet();
        }
    }
}
