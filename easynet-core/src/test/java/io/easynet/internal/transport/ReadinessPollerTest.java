package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** The poller with junixsocket's channels, where its selector differs from the JDK's. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadinessPollerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aWaitThatBeginsAfterTheSelectorSawTheSocketHangUpIsReleased() throws Exception {
        ReadinessPoller poller = ReadinessPoller.get();
        try (AFUNIXSocketPair<AFUNIXSocketChannel> hungUp = nonBlockingPair();
                AFUNIXSocketPair<AFUNIXSocketChannel> other = nonBlockingPair()) {
            AFUNIXSocketChannel reader = hungUp.getSocket1();
            // A first wait registers the reader's channel, which then waits for nothing, as between two reads.
            CompletableFuture<Void> first = awaitInVirtualThread(poller, reader, SelectionKey.OP_READ);
            hungUp.getSocket2().write(UnixTransportContract.ascii("x"));
            assertThat(first).succeedsWithin(WAIT);

            // Shut down both ways with the byte unread: the socket hangs up, and junixsocket's selector invalidates
            // the key and stops polling it, though the channel stays open.
            reader.shutdownOutput();
            hungUp.getSocket2().shutdownOutput();
            // Released by poller rounds that all began after the shutdown, so they have seen the hang-up.
            CompletableFuture<Void> roundsLater = awaitInVirtualThread(poller, other.getSocket1(),
                    SelectionKey.OP_READ);
            other.getSocket2().write(UnixTransportContract.ascii("y"));
            assertThat(roundsLater).succeedsWithin(WAIT);

            assertThat(awaitInVirtualThread(poller, reader, SelectionKey.OP_READ)).succeedsWithin(WAIT);
            ByteBuffer buffer = ByteBuffer.allocate(2);
            assertThat(reader.read(buffer)).isEqualTo(1);
            assertThat(reader.read(buffer)).isEqualTo(-1);
        }
    }

    @Test
    void anAcceptThatWaitsAgainAfterAWakeIsReleasedByTheWakeThatFollowsTheClose() throws Exception {
        ReadinessPoller poller = ReadinessPoller.get();
        try (AFUNIXServerSocketChannel listening = listening()) {
            CompletableFuture<Void> first = awaitRegistered(poller, listening);
            poller.wakeAll(listening);
            assertThat(first).succeedsWithin(WAIT);
            // What a woken accept does while its channel is still open: it retries, finds nothing and waits again.
            CompletableFuture<Void> again = awaitRegistered(poller, listening);

            whileThePollerIsStalled(poller, () -> {
                listening.close();
                poller.wakeAll(listening);
            });

            assertThat(again).succeedsWithin(WAIT);
        }
    }

    @Test
    void anAcceptThatBeginsToWaitAfterItsChannelClosedAndWasWokenIsReleasedAtOnce() throws Exception {
        ReadinessPoller poller = ReadinessPoller.get();
        try (AFUNIXServerSocketChannel listening = listening()) {
            listening.close();
            poller.wakeAll(listening);

            assertThat(awaitInVirtualThread(poller, listening, SelectionKey.OP_ACCEPT)).succeedsWithin(WAIT);
        }
    }

    /**
     * Runs {@code action} while the poller thread is held inside a task, so that it misses whatever the action makes
     * the socket report, as a loaded machine may make it: junixsocket discards a poll's results when a key is
     * cancelled, as a close does, before the poller thread reads them. The poller is held by its registration of
     * another channel, which waits for that channel's {@link SelectableChannel#blockingLock() blocking lock}.
     */
    private static void whileThePollerIsStalled(ReadinessPoller poller, ThrowingAction action) throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> stall = nonBlockingPair()) {
            AFUNIXSocketChannel channel = stall.getSocket1();
            CompletableFuture<Void> held;
            synchronized (channel.blockingLock()) {
                held = awaitInVirtualThread(poller, channel, SelectionKey.OP_READ);
                Thread pollerThread = Thread.getAllStackTraces().keySet().stream()
                        .filter(thread -> thread.getName().equals("easynet-junixsocket-poller")).findFirst()
                        .orElseThrow();
                long self = Thread.currentThread().threadId();
                await().atMost(WAIT).until(() -> ManagementFactory.getThreadMXBean()
                        .getThreadInfo(pollerThread.threadId()).getLockOwnerId() == self);
                action.run();
            }
            stall.getSocket2().write(UnixTransportContract.ascii("s"));
            assertThat(held).succeedsWithin(WAIT);
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {

        void run() throws Exception;
    }

    private AFUNIXServerSocketChannel listening() throws IOException {
        AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
        channel.bind(AFUNIXSocketAddress.of(dir.resolve("server.sock")));
        channel.configureBlocking(false);
        return channel;
    }

    /** Starts a wait to accept on a virtual thread, and returns once the poller has registered it. */
    private static CompletableFuture<Void> awaitRegistered(ReadinessPoller poller, AFUNIXServerSocketChannel channel)
            throws IOException {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                poller.await(channel, SelectionKey.OP_ACCEPT, channel);
                waiting.complete(null);
            } catch (Throwable e) {
                waiting.completeExceptionally(e);
            }
        });
        // Parked only once it has queued its registration, which the poller runs before any later wait's.
        await().atMost(WAIT).until(() -> thread.getState() == Thread.State.WAITING);
        try (AFUNIXSocketPair<AFUNIXSocketChannel> probe = nonBlockingPair()) {
            CompletableFuture<Void> later = awaitInVirtualThread(poller, probe.getSocket1(), SelectionKey.OP_READ);
            probe.getSocket2().write(UnixTransportContract.ascii("p"));
            assertThat(later).succeedsWithin(WAIT);
        }
        assertThat(waiting).isNotDone();
        return waiting;
    }

    private static AFUNIXSocketPair<AFUNIXSocketChannel> nonBlockingPair() throws IOException {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        pair.getSocket1().configureBlocking(false);
        pair.getSocket2().configureBlocking(false);
        return pair;
    }

    private static CompletableFuture<Void> awaitInVirtualThread(ReadinessPoller poller, SelectableChannel channel,
            int op) {
        return CompletableFuture.runAsync(() -> {
            try {
                poller.await(channel, op, channel);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}
