package io.easynet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** The poller with junixsocket's channels, where its selector differs from the JDK's. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadinessPollerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

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

    private static AFUNIXSocketPair<AFUNIXSocketChannel> nonBlockingPair() throws IOException {
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        pair.getSocket1().configureBlocking(false);
        pair.getSocket2().configureBlocking(false);
        return pair;
    }

    private static CompletableFuture<Void> awaitInVirtualThread(ReadinessPoller poller, AFUNIXSocketChannel channel,
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
