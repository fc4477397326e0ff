package io.easynet.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The slow-loris guard: how fast a packet must arrive once its first bytes have. A packet the handler waits for
 * must be complete within {@code grace} of the wait's start plus one second per {@code bytesPerSecond} bytes of it
 * received so far; otherwise the server closes the connection. A client that sends whole packets is never
 * affected, however long it stays silent between them (that is the {@link ServerOptions#idleTimeout() idle
 * timeout}'s business).
 *
 * @param bytesPerSecond the slowest average rate accepted after the grace period, in bytes per second
 * @param grace how long any packet may take, however few of its bytes arrived
 */
public record MinReceiveRate(int bytesPerSecond, Duration grace) {

    /** 1 KiB/s after 10 s: far below any local peer that means to finish its packet. */
    public static final MinReceiveRate DEFAULT = new MinReceiveRate(1024, Duration.ofSeconds(10));

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Longer than any process runs, and far enough from overflow to add to {@link System#nanoTime()}. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    /** Checks both values and names the one that is wrong. */
    public MinReceiveRate {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("minReceiveRate bytesPerSecond must be positive, got " + bytesPerSecond);
        }
        Objects.requireNonNull(grace, "grace");
        if (!grace.isPositive()) {
            throw new IllegalArgumentException("minReceiveRate grace must be positive, got " + grace);
        }
    }

    /**
     * How long, in nanoseconds, a packet may have taken once {@code bytes} of it arrived: the grace period plus the
     * time those bytes need at this rate.
     */
    long allowedNanos(long bytes) {
        long forBytes = bytes >= FOREVER_NANOS / NANOS_PER_SECOND ? FOREVER_NANOS
                : bytes * NANOS_PER_SECOND / bytesPerSecond;
        long graceNanos = grace.compareTo(Duration.ofNanos(FOREVER_NANOS)) >= 0 ? FOREVER_NANOS : grace.toNanos();
        return Math.min(FOREVER_NANOS, graceNanos + forBytes);
    }

    @Override
    public String toString() {
        return bytesPerSecond + " B/s after " + (grace.compareTo(Duration.ofDays(365)) > 0 ? grace.toString()
                : grace.toMillis() + " ms");
    }
}
