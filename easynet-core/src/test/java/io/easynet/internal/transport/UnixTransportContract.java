package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link UnixTransport} does alike, run once per transport by its subclasses, which add what only that
 * transport does or refuses.
 */
// A separate thread, so that a test stuck in an uninterruptible wait still fails instead of hanging the build.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class UnixTransportContract {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** Everything a test opened, closed after it. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** The transport under test. */
    abstract UnixTransport transport();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    // ---- connecting and listening ---------------------------------------------------------------------------

    @Test
    void connectToAMissingPathFailsWithAMessageNamingThePath() {
        Path missing = dir.resolve("missing.sock");

        assertThatThrownBy(() -> transport().connect(missing, null, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(SocketException.class)
                .hasMessage("cannot connect to " + missing + ": No such file or directory")
                .hasCauseInstanceOf(SocketException.class);
    }

    @Test
    void connectToASocketFileWithNoListenerIsConnectException() throws IOException {
        Path socket = dir.resolve("stale.sock");
        transport().listen(socket, 4).close();
        assertThat(Files.exists(socket)).as("closing the listener leaves its file behind").isTrue();

        assertThatThrownBy(() -> transport().connect(socket, null, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessage("cannot connect to " + socket + ": Connection refused")
                .hasCauseInstanceOf(SocketException.class);
    }

    @Test
    void listeningOnAnExistingPathFailsWithAMessageNamingThePath() throws IOException {
        Path socket = dir.resolve("taken.sock");
        UnixListener first = listen(socket);

        assertThatThrownBy(() -> transport().listen(socket, 4))
                .isExactlyInstanceOf(BindException.class)
                .hasMessage("cannot listen on " + socket + ": Address already in use");
        assertThat(first.socket().getOption(StandardSocketOptions.SO_RCVBUF)).isPositive();
        UnixConnection client = connect(socket);
        assertThat(first.accept().isOpen()).as("the first listener still serves its file").isTrue();
        assertThat(client.isOpen()).isTrue();
    }

    /**
     * A listener whose file was deleted or moved keeps accepting (the server's health reports the file), as the
     * JDK's does: junixsocket's own closed the socket at the next accept once its path no longer named it, which
     * made every server bound in a private directory and linked into place refuse everyone.
     */
    @Test
    void aListenerWhoseFileWasMovedKeepsAccepting() throws IOException {
        Path socket = dir.resolve("moved.sock");
        Path moved = dir.resolve("elsewhere.sock");
        UnixListener listener = listen(socket);
        Files.createLink(moved, socket);
        Files.delete(socket);

        UnixConnection client = connect(moved);
        UnixConnection accepted = accept(listener);
        client.write(ByteBuffer.wrap("after the move".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer received = ByteBuffer.allocate(64);
        while (received.position() < "after the move".length()) {
            assertThat(accepted.read(received)).isNotNegative();
        }
        assertThat(new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII))
                .isEqualTo("after the move");
    }

    @Test
    void connectTimesOutWhileTheServersBacklogIsFull() throws IOException {
        Path socket = dir.resolve("busy.sock");
        Duration timeout = Duration.ofMillis(300);
        listen(socket, 1);
        SocketTimeoutException timedOut = null;
        // Never accepted: the kernel queues a few connections, then connect waits until the timeout.
        for (int i = 0; i < 16 && timedOut == null; i++) {
            try {
                opened.add(transport().connect(socket, null, timeout));
            } catch (SocketTimeoutException e) {
                timedOut = e;
            }
        }

        assertThat(timedOut).as("a connect timed out once the backlog was full").isNotNull()
                .hasMessage("connect to " + socket + " timed out after 300 ms");
    }

    @Test
    void addressesAreThePathOnTheServerSideAndUnnamedOnTheClientSide() throws IOException {
        Path socket = dir.resolve("server.sock");
        UnixListener listener = listen(socket);
        UnixConnection client = connect(socket);
        UnixConnection accepted = accept(listener);

        assertThat(client.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        assertThat(accepted.localAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
        assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
    }

    // ---- bytes, end of stream and shutdown ------------------------------------------------------------------

    @Test
    void bytesWrittenAtEitherEndAreReadAtTheOther() throws IOException {
        Pair pair = connectedPair();

        pair.client().writeFully(ascii("ping"));
        assertThat(readExactly(pair.accepted(), 4)).isEqualTo("ping");
        pair.accepted().writeFully(ascii("pong!"));
        assertThat(readExactly(pair.client(), 5)).isEqualTo("pong!");
    }

    @Test
    void aLargeTransferInBothDirectionsAtOnceArrivesIntact() throws Exception {
        Pair pair = connectedPair();
        byte[] up = pattern(3 * 1024 * 1024, 7);
        byte[] down = pattern(2 * 1024 * 1024, 13);

        // Larger than the socket buffers both ways: each side's writes wait until the other side reads.
        CompletableFuture<byte[]> atServer = readAllInBackground(pair.accepted());
        CompletableFuture<byte[]> atClient = readAllInBackground(pair.client());
        CompletableFuture<Void> sending = CompletableFuture.allOf(
                writeInBackground(pair.client(), up), writeInBackground(pair.accepted(), down));

        sending.get(8, TimeUnit.SECONDS);
        assertThat(atServer.get(8, TimeUnit.SECONDS)).isEqualTo(up);
        assertThat(atClient.get(8, TimeUnit.SECONDS)).isEqualTo(down);
    }

    @Test
    void closingOneEndIsEndOfStreamAtTheOther() throws IOException {
        Pair pair = connectedPair();
        pair.client().writeFully(ascii("last"));
        pair.client().close();

        assertThat(readExactly(pair.accepted(), 4)).isEqualTo("last");
        assertThat(pair.accepted().read(ByteBuffer.allocate(8))).isEqualTo(-1);
        assertThat(pair.client().isOpen()).isFalse();
        assertThat(pair.accepted().isOpen()).isTrue();
    }

    @Test
    void shutdownOutputIsEndOfStreamForThePeerWhichCanStillAnswer() throws IOException {
        Pair pair = connectedPair();
        pair.client().writeFully(ascii("question"));
        pair.client().shutdownOutput();

        assertThat(readExactly(pair.accepted(), 8)).isEqualTo("question");
        assertThat(pair.accepted().read(ByteBuffer.allocate(8))).isEqualTo(-1);
        pair.accepted().writeFully(ascii("answer"));
        assertThat(readExactly(pair.client(), 6)).isEqualTo("answer");
        assertThatThrownBy(() -> pair.client().write(ascii("more"))).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void shutdownInputWakesABlockedReaderWithEndOfStream() throws Exception {
        Pair pair = connectedPair();
        Blocked<Integer> read = readInVirtualThread(pair.accepted());

        pair.accepted().shutdownInput();

        assertThat(read.result().get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        pair.accepted().writeFully(ascii("still writable"));
        assertThat(readExactly(pair.client(), 14)).isEqualTo("still writable");
    }

    @Test
    void afterShutdownInputReadsEndAtOnceEvenWithBytesQueued() throws IOException {
        Pair pair = connectedPair();
        // A Unix-domain write returns once the bytes are in the peer's receive queue.
        pair.client().writeFully(ascii("queued"));

        pair.accepted().shutdownInput();

        assertThat(pair.accepted().read(ByteBuffer.allocate(16))).isEqualTo(-1);
    }

    @Test
    void aReadAndAWriteWaitingOnOneConnectionAtOnceEachWakeWhenTheirOwnWaitIsOver() throws Exception {
        Pair pair = connectedPair();
        Blocked<Integer> read = readInVirtualThread(pair.client());
        byte[] bytes = pattern(4 * 1024 * 1024, 11);
        Blocked<Integer> write = writeInVirtualThreadUntilItWaits(pair.client(), ByteBuffer.wrap(bytes));

        ByteBuffer received = ByteBuffer.allocate(bytes.length);
        while (received.hasRemaining()) {
            assertThat(pair.accepted().read(received)).as("bytes, not end of stream").isNotNegative();
        }
        assertThat(write.result()).succeedsWithin(Duration.ofSeconds(5));
        assertThat(received.array()).isEqualTo(bytes);
        pair.accepted().writeFully(ascii("answer"));

        assertThat(read.result().get(5, TimeUnit.SECONDS)).isEqualTo(6);
    }

    @Test
    void aWriteWaitingForRoomFailsWithBrokenPipeWhenThePeerShutsDownBothWaysWithoutClosing() throws Exception {
        Pair pair = connectedPair();
        Blocked<Integer> write = writeInVirtualThreadUntilItWaits(pair.client(), ByteBuffer.allocate(8 * 1024 * 1024));

        pair.accepted().shutdownInput();
        pair.accepted().shutdownOutput();

        assertThat(write.result()).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                .isExactlyInstanceOf(IOException.class).withMessage("Broken pipe");
        assertThat(pair.client().read(ByteBuffer.allocate(8))).as("the peer's end of stream").isEqualTo(-1);
    }

    // ---- closing and interrupting blocked threads -----------------------------------------------------------

    @Test
    void closingTheConnectionWakesABlockedReaderWithClosedChannelException() throws Exception {
        Pair pair = connectedPair();
        Blocked<Integer> read = readInVirtualThread(pair.accepted());

        pair.accepted().close();

        assertThat(read.result()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(() -> pair.accepted().read(ByteBuffer.allocate(8)))
                .isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void interruptingABlockedReaderClosesTheConnection() throws Exception {
        Pair pair = connectedPair();
        Blocked<Integer> read = readInVirtualThread(pair.accepted());

        read.thread().interrupt();

        assertThat(read.result()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(ClosedByInterruptException.class);
        assertThat(pair.accepted().isOpen()).isFalse();
        assertThat(pair.client().read(ByteBuffer.allocate(8))).as("the peer sees the close").isEqualTo(-1);
    }

    @Test
    void closingTheListenerWakesABlockedAccept() throws Exception {
        UnixListener listener = listen(dir.resolve("server.sock"));
        Blocked<UnixConnection> accept = inVirtualThreadUntilItWaits(listener::accept);

        listener.close();

        assertThat(accept.result()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aWaitingAcceptReturnsTheConnectionThatArrives() throws Exception {
        Path socket = dir.resolve("server.sock");
        UnixListener listener = listen(socket);
        Blocked<UnixConnection> accept = inVirtualThreadUntilItWaits(listener::accept);

        UnixConnection client = connect(socket);

        UnixConnection accepted = opened(accept.result().get(5, TimeUnit.SECONDS));
        client.writeFully(ascii("hello"));
        assertThat(readExactly(accepted, 5)).isEqualTo("hello");
    }

    @Test
    void closingConnectionsAndListenersReleasesTheirDescriptors() throws IOException {
        Path socket = dir.resolve("server.sock");
        openAndCloseConnections(socket, 5);
        long before = openDescriptorsTo("socket:");

        openAndCloseConnections(socket, 50);

        assertThat(openDescriptorsTo("socket:")).isEqualTo(before);
    }

    // ---- many connections -----------------------------------------------------------------------------------

    @Test
    void manyIdleReadersEachGetTheirBytesWhateverTheOrder() throws Exception {
        // Many more blocked readers than CPUs: a transport that spent a thread per waiting reader would starve.
        int count = 64;
        Path socket = dir.resolve("server.sock");
        UnixListener listener = listen(socket, count);
        List<UnixConnection> clients = new ArrayList<>();
        List<CompletableFuture<String>> echoed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(connect(socket));
            UnixConnection accepted = accept(listener);
            echoed.add(CompletableFuture.supplyAsync(() -> echoOnce(accepted), runnable -> Thread.ofVirtual()
                    .start(runnable)));
        }

        for (int i = count - 1; i >= 0; i--) {
            clients.get(i).writeFully(ascii("client " + i + "\n"));
        }

        for (int i = 0; i < count; i++) {
            String expected = "client " + i + "\n";
            assertThat(readExactly(clients.get(i), expected.length())).isEqualTo(expected);
            assertThat(echoed.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Both ends of one connection. */
    record Pair(UnixConnection client, UnixConnection accepted) {
    }

    /** A call running on its own virtual thread, already blocked: a read for bytes, a write for room, an accept. */
    record Blocked<T>(Thread thread, CompletableFuture<T> result) {
    }

    /** A read, write or accept, which may wait. */
    @FunctionalInterface
    interface BlockingCall<T> {

        T call() throws IOException;
    }

    Pair connectedPair() throws IOException {
        Path socket = dir.resolve("pair.sock");
        UnixListener listener = listen(socket);
        UnixConnection client = connect(socket);
        return new Pair(client, accept(listener));
    }

    UnixListener listen(Path path) throws IOException {
        return listen(path, 16);
    }

    UnixListener listen(Path path, int backlog) throws IOException {
        return opened(transport().listen(path, backlog));
    }

    UnixConnection connect(Path path) throws IOException {
        return opened(transport().connect(path, null, CONNECT_TIMEOUT));
    }

    UnixConnection accept(UnixListener listener) throws IOException {
        return opened(listener.accept());
    }

    <T extends AutoCloseable> T opened(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** A read of up to 64 bytes on a virtual thread, which waits for bytes once this returns. */
    static Blocked<Integer> readInVirtualThread(UnixConnection connection) {
        return inVirtualThreadUntilItWaits(() -> connection.read(ByteBuffer.allocate(64)));
    }

    /** Runs {@code call} on a virtual thread and returns once that thread waits. */
    static <T> Blocked<T> inVirtualThreadUntilItWaits(BlockingCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.WAITING);
        return new Blocked<>(thread, result);
    }

    /** Writes every byte of {@code bytes} on a virtual thread, which has waited for room once this returns. */
    static Blocked<Integer> writeInVirtualThreadUntilItWaits(UnixConnection connection, ByteBuffer bytes) {
        return inVirtualThreadUntilItWaits(() -> {
            int length = bytes.remaining();
            connection.writeFully(bytes);
            return length;
        });
    }

    private void openAndCloseConnections(Path socket, int count) throws IOException {
        try (UnixListener listener = transport().listen(socket, count)) {
            for (int i = 0; i < count; i++) {
                try (UnixConnection client = transport().connect(socket, null, CONNECT_TIMEOUT);
                        UnixConnection accepted = listener.accept()) {
                    client.writeFully(ascii("x"));
                    assertThat(readExactly(accepted, 1)).isEqualTo("x");
                }
            }
        }
        Files.delete(socket);
    }

    /**
     * How many of this process's descriptors lead to {@code target} (a path, or {@code socket:} for any socket);
     * counting only those keeps descriptors that other parts of the JVM open or close meanwhile out of the count.
     */
    static long openDescriptorsTo(String target) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).toString().startsWith(target);
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }

    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads exactly {@code length} bytes, failing at end of stream. */
    static String readExactly(UnixConnection connection, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (connection.read(buffer) < 0) {
                throw new IOException("end of stream after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return new String(buffer.array(), StandardCharsets.US_ASCII);
    }

    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * seed + i / 251);
        }
        return bytes;
    }

    private static String echoOnce(UnixConnection connection) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            do {
                if (connection.read(buffer) < 0) {
                    throw new IOException("end of stream");
                }
            } while (buffer.get(buffer.position() - 1) != '\n');
            buffer.flip();
            String line = StandardCharsets.US_ASCII.decode(buffer.duplicate()).toString();
            connection.writeFully(buffer);
            return line;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static CompletableFuture<byte[]> readAllInBackground(UnixConnection connection) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(4 * 1024 * 1024);
                while (connection.read(buffer) >= 0) {
                    if (!buffer.hasRemaining()) {
                        throw new IOException("more than 4 MiB");
                    }
                }
                return Arrays.copyOf(buffer.array(), buffer.position());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    private static CompletableFuture<Void> writeInBackground(UnixConnection connection, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                connection.writeFully(ByteBuffer.wrap(bytes));
                connection.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}
