package io.easynet.reliability;

import static io.easynet.reliability.FaultServer.LINES;
import static io.easynet.reliability.FaultServer.RESPONSE_WAIT;
import static io.easynet.reliability.FaultServer.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ClientDisconnectedException;
import io.easynet.server.RequestStream;
import io.easynet.server.LogCapture;
import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.server.ServerOptions;
import io.easynet.server.ServiceContext;
import io.easynet.server.ServiceInitException;
import io.easynet.server.SocketFileState;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults injected over real sockets: clients that leave mid-request, mid-response or with unread data, thousands
 * of connect/close cycles, the socket file deleted under the server, handlers that throw, block for good or leak a
 * thread, and a {@code serviceInit} that fails half-way. Each test pins the exact outcome and then checks that a
 * client connected all along still gets its answer.
 */
@Timeout(60)
class FaultInjectionTest {

    private static final int CONNECT_CLOSE_CYCLES = 5_000;

    /** Larger than a Unix socket's send and receive buffers together (208 KiB each by default). */
    private static final int LARGE_RESPONSE = 8 * 1024 * 1024;

    private static final Duration GRACE = Duration.ofMillis(500);

    /**
     * How much longer than the grace period a stop with stuck handlers may take: the server's own
     * {@link AsyncUnixStreamServer#FORCED_STOP_TIMEOUT} (2 s) plus room for a loaded machine.
     */
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** The transports a server runs on; clients leaving at the wrong moment end in transport errors. */
    enum Transport {
        JDK,
        /** Peer credentials put the server on junixsocket. */
        JUNIXSOCKET;

        ServerOptions options() {
            return ServerOptions.builder().peerCredentials(this == JUNIXSOCKET).build();
        }

        /** How the transport words {@code ECONNRESET}. */
        String reset() {
            return this == JDK ? "Connection reset" : "Connection reset by peer";
        }
    }

    @AfterAll
    static void printSummary() {
        System.out.println(FaultTally.summary());
    }

    private FaultServer start() throws Exception {
        return start(ServerOptions.defaults());
    }

    private FaultServer start(Transport transport) throws Exception {
        return start(transport.options());
    }

    private FaultServer start(ServerOptions options) throws Exception {
        return new FaultServer(dir.resolve("faults.sock"), options);
    }

    /** Asks the server which client a raw connection is: the id the server's logs and outcomes use. */
    private static String idOf(SocketChannel raw) throws IOException {
        writeAll(raw, "id\n");
        return readLine(raw);
    }

    private static String readLine(SocketChannel raw) throws IOException {
        var line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (raw.read(one) < 0) {
                throw new IOException("the server ended the stream after \"" + line + "\"");
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return line.toString();
            }
            line.append(c);
        }
    }

    // ---- clients that leave at the wrong moment

    @ParameterizedTest
    @EnumSource
    void clientThatLeavesInsideARequestEndsItsSessionWithTheLostBytesCounted(Transport transport) throws Exception {
        try (var faults = start(transport)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                writeAll(raw, "half a requ");
            }
            Throwable outcome = faults.outcomeOf(id);
            assertThat(outcome).isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage(id + " on " + faults.path() + " ended the stream inside a packet; 11 bytes of it are "
                            + "lost");
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(1));
            assertThat(faults.handlerFailures).hasValue(0);
            faults.faultInjected();
        }
    }

    /**
     * Unix sockets have no RST, but Linux comes close: a socket closed with unread bytes in its receive queue makes
     * the peer's next read fail with {@code ECONNRESET} instead of ending the stream.
     */
    @ParameterizedTest
    @EnumSource
    void clientThatLeavesInsideARequestWithAnswersUnreadResetsTheConnection(Transport transport) throws Exception {
        try (var faults = start(transport)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                writeAll(raw, "unread\n");
                await().until(() -> faults.responsesSentTo(id) == 2);
                writeAll(raw, "half a requ");
            }
            Throwable outcome = faults.outcomeOf(id);
            assertThat(outcome).isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage("connection of " + id + " on " + faults.path() + " broke: " + transport.reset())
                    .hasCauseInstanceOf(SocketException.class);
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(1));
            assertThat(faults.handlerFailures).hasValue(0);
            faults.faultInjected();
        }
    }

    @ParameterizedTest
    @EnumSource
    void clientThatLeavesInsideALargeResponseMakesTheHandlersSendFailAsADisconnect(Transport transport)
            throws Exception {
        try (var faults = start(transport); var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                writeAll(raw, "big " + LARGE_RESPONSE + "\n");
                ByteBuffer part = ByteBuffer.allocate(64 * 1024);
                while (part.hasRemaining()) {
                    assertThat(raw.read(part)).isNotNegative();
                }
            }
            Throwable outcome = faults.outcomeOf(id);
            assertThat(outcome).isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage("cannot send to " + id + " on " + faults.path() + ": Broken pipe");
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(1));
            assertThat(faults.disconnectReasons.get(DisconnectReason.NORMAL)).hasValue(1);
            assertThat(faults.handlerFailures).hasValue(0);
            assertThat(logs.messages(Level.DEBUG)).contains(id + " on " + faults.path() + " ended in handle: "
                    + outcome.getMessage());
            assertThat(logs.messages(Level.ERROR)).isEmpty();
            faults.faultInjected();
        }
    }

    @ParameterizedTest
    @EnumSource
    void clientThatLeavesWithAnswersUnreadResetsTheConnectionOnceAllItsRequestsAreAnswered(Transport transport)
            throws Exception {
        try (var faults = start(transport)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                writeAll(raw, "request\n".repeat(50));
                await().until(() -> faults.responsesSentTo(id) == 51);
            }
            assertThat(faults.outcomeOf(id)).isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage("connection of " + id + " on " + faults.path() + " broke: " + transport.reset());
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(1));
            assertThat(faults.handlerFailures).hasValue(0);
            faults.faultInjected();
        }
    }

    /**
     * The same client without waiting: the server is still answering when the client goes, so the session ends at a
     * send (broken pipe: in almost every round on this machine) or at the next receive (reset), never as a handler
     * failure.
     */
    @ParameterizedTest
    @EnumSource
    void clientThatSendsRequestsAndLeavesAtOnceEndsItsSessionAsADisconnect(Transport transport) throws Exception {
        try (var faults = start(transport)) {
            for (int round = 0; round < 20; round++) {
                String id;
                try (var raw = faults.rawClient()) {
                    id = idOf(raw);
                    writeAll(raw, "request\n".repeat(50));
                }
                String client = id + " on " + faults.path();
                assertThat(faults.outcomeOf(id)).isExactlyInstanceOf(ClientDisconnectedException.class)
                        .extracting(Throwable::getMessage).isIn("cannot send to " + client + ": Broken pipe",
                                "connection of " + client + " broke: " + transport.reset());
                int clients = round + 1;
                await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(clients));
                assertThat(faults.handlerFailures).hasValue(0);
                faults.faultInjected();
            }
        }
    }

    /** A client that shuts its side down half-way: it sends no more but still reads. */
    @ParameterizedTest
    @EnumSource
    void clientThatStopsWritingGetsEveryAnswerThenTheEndOfTheStream(Transport transport) throws Exception {
        try (var faults = start(transport)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                var requests = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    requests.append("request ").append(i).append('\n');
                }
                writeAll(raw, requests.toString());
                raw.shutdownOutput();
                for (int i = 0; i < 200; i++) {
                    assertThat(readLine(raw)).isEqualTo("request " + i);
                }
                assertThat(raw.read(ByteBuffer.allocate(1))).as("end of stream").isEqualTo(-1);
            }
            assertThat(faults.outcomeOf(id)).isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage(id + " on " + faults.path() + " ended the stream");
            assertThat(faults.responsesSentTo(id)).isEqualTo(201);
            faults.faultInjected();
        }
    }

    @ParameterizedTest
    @EnumSource
    void stopUnblocksAHandlerSendingToAClientThatReadsNothing(Transport transport) throws Exception {
        var faults = start(transport.options().toBuilder().shutdownGracePeriod(GRACE).build());
        try (var raw = faults.rawClient(); var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            String id = idOf(raw);
            writeAll(raw, "big " + LARGE_RESPONSE + "\n");
            faults.faultInjected();
            // the id went out (counted once its write returned), and the large response is stuck in the full socket
            // buffers: once the handler has begun it, a stop cannot end it but by closing the connection
            await().until(() -> faults.responsesSentTo(id) == 1 && faults.isSendingBig(id));

            long start = System.nanoTime();
            faults.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("stop with a handler blocked in send").isLessThan(GRACE.plus(STOP_BOUND));
            assertThat(faults.outcomeOf(id)).isExactlyInstanceOf(ClientDisconnectedException.class);
            assertThat(logs.messages(Level.WARN)).containsExactly("Grace period of 500 ms over on " + faults.path()
                    + ": closed the connections of [" + id + "]");
            assertThat(faults.handlerFailures).hasValue(0);
        } finally {
            faults.close();
        }
    }

    // ---- churn

    @ParameterizedTest
    @EnumSource
    void thousandsOfConnectCloseCyclesAreAllSeenAndLeaveNoClientAndNoDescriptorBehind(Transport transport)
            throws Exception {
        // the bystander holds one of the two permits: every cycle needs the other one back
        try (var faults = start(transport.options().toBuilder().maxConnections(2).build())) {
            connectAndClose(faults, 100);
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(100));
            long descriptorsBefore = openDescriptors();
            connectAndClose(faults, CONNECT_CLOSE_CYCLES);
            int total = 100 + CONNECT_CLOSE_CYCLES;
            await().untilAsserted(() -> assertThat(faults.disconnected).hasValue(total));
            // the bystander is the one client left
            assertThat(faults.connected).hasValue(total + 1);
            assertThat(faults.server.clients()).hasSize(1);
            assertThat(faults.disconnectReasons.get(DisconnectReason.NORMAL)).hasValue(total);
            assertThat(faults.handlerFailures).hasValue(0);
            await().untilAsserted(() -> assertThat(openDescriptors()).as("open descriptors of this JVM")
                    .isEqualTo(descriptorsBefore));
            try (var last = UnixStreamClient.connect(faults.path(), LINES)) {
                last.send("the permit came back");
                assertThat(last.receive(RESPONSE_WAIT)).isEqualTo("the permit came back");
            }
            FaultTally.CONNECT_CLOSE_CYCLES.addAndGet(CONNECT_CLOSE_CYCLES);
            faults.faultInjected();
        }
    }

    /** Connects and closes at once, {@code cycles} times, checking the bystander every thousand. */
    private static void connectAndClose(FaultServer faults, int cycles) throws Exception {
        for (int i = 1; i <= cycles; i++) {
            faults.rawClient().close();
            if (i % 1_000 == 0) {
                faults.bystanderServes();
            }
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }

    // ---- the socket file deleted under the server

    @Test
    void deletedSocketFileLeavesConnectedClientsServedFailsNewOnesAndARestartRecreatesIt() throws Exception {
        Path path = dir.resolve("faults.sock");
        var faults = start();
        try {
            Files.delete(path);
            assertThat(faults.server.socketFileState()).isEqualTo(SocketFileState.MISSING);
            assertThat(faults.server.isServing()).isTrue();
            assertThatThrownBy(() -> UnixStreamClient.connect(path, LINES))
                    .isExactlyInstanceOf(SocketException.class)
                    .hasMessage("cannot connect to " + path + ": No such file or directory");
            faults.faultInjected();
        } finally {
            faults.close();
        }
        // the documented recovery: a new server at the same path binds it again
        try (var restarted = start()) {
            assertThat(restarted.server.socketFileState()).isEqualTo(SocketFileState.INTACT);
            try (var client = UnixStreamClient.connect(path, LINES)) {
                client.send("after the restart");
                assertThat(client.receive(RESPONSE_WAIT)).isEqualTo("after the restart");
            }
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void deletedSocketFileRecoversWithoutDroppingClientsByStartingTheNewServerBeforeStoppingTheOld()
            throws Exception {
        Path path = dir.resolve("faults.sock");
        var old = start();
        try {
            Files.delete(path);
            var replacement = new FaultServer(path, ServerOptions.defaults());
            try {
                // the old server's clients are still served while new clients reach the replacement
                old.faultInjected();
                assertThat(replacement.server.socketFileState()).isEqualTo(SocketFileState.INTACT);
                assertThat(old.server.socketFileState()).isEqualTo(SocketFileState.REPLACED);
                old.close();
                assertThat(path).as("the old server leaves the replacement's file alone").exists();
                replacement.bystanderServes();
            } finally {
                replacement.close();
            }
        } finally {
            old.close();
        }
    }

    // ---- handlers that misbehave

    @Test
    void handlerThatThrowsClosesOnlyItsOwnConnectionAndIsLoggedWithTheClientId() throws Exception {
        try (var faults = start(); var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            String id;
            try (var raw = faults.rawClient()) {
                id = idOf(raw);
                writeAll(raw, "throw\n");
                assertThat(raw.read(ByteBuffer.allocate(1))).as("end of stream").isEqualTo(-1);
            }
            assertThat(faults.outcomeOf(id)).isExactlyInstanceOf(IllegalStateException.class);
            await().untilAsserted(() -> assertThat(faults.handlerFailures).hasValue(1));
            assertThat(faults.disconnectReasons.get(DisconnectReason.ERROR)).hasValue(1);
            assertThat(logs.messages(Level.ERROR)).containsExactly("handle of " + id + " on " + faults.path()
                    + " failed; closing the connection | java.lang.IllegalStateException: injected failure for " + id);
            faults.faultInjected();
        }
    }

    /**
     * A handler stuck on a lock (whose {@code lock()} ignores interrupts), one busy-waiting on its carrier thread and
     * one that leaked a thread holding its client: the stop ends within the grace period plus a bound, names the
     * clients it had to leave behind, and the leaked thread's later send fails as a disconnect.
     */
    @Test
    void stopCompletesWithinTheGracePeriodPlusABoundWhenHandlersBlockForGoodOrLeakThreads() throws Exception {
        var options = ServerOptions.builder().shutdownGracePeriod(GRACE).build();
        var faults = start(options);
        SocketChannel stuck = null;
        SocketChannel spinning = null;
        SocketChannel leaking = null;
        faults.stuckLock.lock();
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            stuck = faults.rawClient();
            String stuckId = idOf(stuck);
            writeAll(stuck, "block\n");
            await().until(faults.stuckLock::hasQueuedThreads);
            faults.faultInjected();

            spinning = faults.rawClient();
            String spinningId = idOf(spinning);
            writeAll(spinning, "spin\n");
            faults.spinning.await();
            faults.faultInjected();

            leaking = faults.rawClient();
            String leakingId = idOf(leaking);
            writeAll(leaking, "leak leaked-by-handler\n");
            assertThat(readLine(leaking)).isEqualTo("leaked");
            faults.faultInjected();

            long start = System.nanoTime();
            faults.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("stop with a stuck handler").isLessThan(GRACE.plus(STOP_BOUND));
            assertThat(faults.server.isServing()).isFalse();
            assertThat(faults.path()).doesNotExist();
            List<String> warnings = logs.messages(Level.WARN);
            assertThat(warnings).hasSize(2);
            assertThat(clientsNamedIn(warnings.get(0), "Grace period of 500 ms over on " + faults.path()
                    + ": closed the connections of ", "")).containsExactlyInAnyOrder(stuckId, spinningId);
            assertThat(clientsNamedIn(warnings.get(1), "Handlers of ", " on " + faults.path()
                    + " ignored the close and interrupt; leaving them behind")).containsExactlyInAnyOrder(stuckId,
                    spinningId);
            // the leaking handler's own thread ended at the stop; its leaked thread is not the server's to wait for
            assertThat(faults.outcomeOf(leakingId)).isExactlyInstanceOf(ClientDisconnectedException.class);
            faults.releaseLeaked();
            assertThat(faults.outcomeOf(leakingId + " leaked thread"))
                    .isExactlyInstanceOf(ClientDisconnectedException.class)
                    .hasMessage("connection of " + leakingId + " on " + faults.path() + " is closed");
        } finally {
            faults.close();
            faults.releaseLeaked();
            faults.releaseSpinners();
            faults.stuckLock.unlock();
            for (SocketChannel raw : new SocketChannel[] {stuck, spinning, leaking}) {
                if (raw != null) {
                    raw.close();
                }
            }
        }
    }

    /** The client ids in the {@code [client#1, client#2]} list of a log message, in any order. */
    private static List<String> clientsNamedIn(String message, String before, String after) {
        assertThat(message).startsWith(before + "[").endsWith("]" + after);
        return List.of(message.substring(before.length() + 1, message.length() - after.length() - 1).split(", "));
    }

    // ---- serviceInit that fails half-way

    @ParameterizedTest
    @EnumSource
    void serviceInitThatFailsHalfWayClosesWhatItRegisteredInReverseOrderAndLeavesThePathFree(Transport transport)
            throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) throws Exception {
                context.register(() -> events.add("closed pool"));
                context.register(() -> {
                    events.add("closing cache");
                    throw new IOException("cache flush failed");
                });
                context.startBackgroundTask("refresher", () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        taskInterrupted.set(true);
                    }
                });
                context.register(() -> events.add("closed metrics"));
                events.add("connecting to the database");
                throw new IllegalStateException("database unreachable");
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        };
        Path path = dir.resolve("faults.sock");
        // a first server on the transport opens what it opens once per JVM (junixsocket's poller), not per server
        start(transport).close();
        long descriptorsBefore = openDescriptors();
        var server = new AsyncUnixStreamServer<>(path, LINES, handler, transport.options());
        assertThatThrownBy(server::start).isExactlyInstanceOf(ServiceInitException.class)
                .hasMessage("serviceInit of the server on " + path + " failed: database unreachable")
                .satisfies(failure -> assertThat(failure.getSuppressed()).singleElement().asString()
                        .contains("cache flush failed"));
        assertThat(events).containsExactly("connecting to the database", "closed metrics", "closing cache",
                "closed pool");
        assertThat(taskInterrupted).isTrue();
        assertThat(server.isServing()).isFalse();
        assertThat(server.sockets()).isEmpty();
        assertThat(path).doesNotExist();
        assertThat(openDescriptors()).as("open descriptors of this JVM").isEqualTo(descriptorsBefore);
        FaultTally.FAULTS.incrementAndGet();
        // nothing of the failed start stands in the way of the next one
        try (var next = start(transport)) {
            next.bystanderServes();
            FaultTally.SERVED_AFTER_FAULT.incrementAndGet();
        }
    }
}
