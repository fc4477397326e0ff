package io.easynet.internal.transport;

import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * How long a stream has waited for the rest of the packet it is receiving, for the slow-loris guard. Only time
 * waiting for the peer counts: from a receive's wait for more bytes of a packet it has begun until bytes arrive,
 * including while a timed receive that ran out leaves its read pending; not the time the receiver spends elsewhere
 * once bytes have arrived. Used by the receiving thread, a timed read's helper thread and a watchdog; the common
 * case, a packet that arrives whole, costs one volatile read per read and per packet.
 */
final class PartialPacketClock {

    private static final long NOT_WAITING = Long.MIN_VALUE;

    /** Whether a packet's wait is being measured; read without the lock, so the common case takes none. */
    private volatile boolean measuring;

    /** Nanoseconds waited in earlier waits for this packet; guarded by {@code this}, as are the two below. */
    private long waitedBefore;

    private long waitingSince = NOT_WAITING;

    private long bytes;

    /** A receive begins to wait for more of a packet of which {@code bytesSoFar} bytes have arrived. */
    synchronized void waitBegins(long bytesSoFar, long now) {
        bytes = bytesSoFar;
        if (waitingSince == NOT_WAITING) {
            waitingSince = now;
        }
        measuring = true;
    }

    /** Bytes arrived, or the read ended without them: the wait is over, whoever ends up decoding them. */
    void waitEnds() {
        if (!measuring) {
            return;
        }
        synchronized (this) {
            if (waitingSince != NOT_WAITING) {
                waitedBefore += System.nanoTime() - waitingSince;
                waitingSince = NOT_WAITING;
            }
        }
    }

    /** The packet was decoded or refused: the next one starts from nothing. */
    void packetEnded() {
        if (!measuring) {
            return;
        }
        synchronized (this) {
            waitedBefore = 0;
            waitingSince = NOT_WAITING;
            bytes = 0;
            measuring = false;
        }
    }

    /**
     * The wait so far, if the stream is waiting for more of a packet and has waited longer than
     * {@code allowedNanos} gives for the bytes of it that arrived; otherwise {@code null}.
     */
    @Nullable PartialPacketWait overdue(long now, LongUnaryOperator allowedNanos) {
        if (!measuring) {
            return null;
        }
        synchronized (this) {
            if (waitingSince == NOT_WAITING) {
                return null;
            }
            long waited = waitedBefore + (now - waitingSince);
            return waited > allowedNanos.applyAsLong(bytes) ? new PartialPacketWait(bytes, waited) : null;
        }
    }
}
