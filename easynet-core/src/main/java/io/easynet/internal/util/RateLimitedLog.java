package io.easynet.internal.util;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One kind of log line that can repeat without end (a failing accept, a client closed for trickling a packet), logged
 * at its level at most once per window and at DEBUG in between; the next line at its level says how many were
 * suppressed. A server keeps one per kind, so that a client reconnecting in a loop, or an accept that fails every
 * 100 ms, costs a line every few seconds rather than hundreds.
 */
public final class RateLimitedLog {

    /** How often each kind of repeated line may be logged at its level. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    /** A window that never ends: {@link Long#MAX_VALUE} nanoseconds. */
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    private final Logger logger;

    private final Level level;

    private final long windowNanos;

    private final LongSupplier nanoClock;

    private final ReentrantLock lock = new ReentrantLock();

    private boolean loggedBefore;

    private long lastLoggedAt;

    private long suppressed;

    /**
     * {@return a log that writes its first line at {@code level} and every later one at DEBUG}: for what is worth
     * saying once per connection, such as a peer sending what nobody asked for.
     *
     * @param logger where the lines go
     * @param level the level of the first line
     */
    public static RateLimitedLog firstThenDebug(Logger logger, Level level) {
        return new RateLimitedLog(logger, level, FOREVER, System::nanoTime);
    }

    /**
     * Logs at {@code level} at most once per {@link #WINDOW}, on the system's monotonic clock.
     *
     * @param logger where the lines go
     * @param level the level of the lines not suppressed
     */
    public RateLimitedLog(Logger logger, Level level) {
        this(logger, level, WINDOW, System::nanoTime);
    }

    /**
     * Logs at {@code level} at most once per {@code window}, on the given clock.
     *
     * @param logger where the lines go
     * @param level the level of the lines not suppressed
     * @param window how long after a line at {@code level} the next one goes to DEBUG
     * @param nanoClock the monotonic clock, in nanoseconds
     */
    public RateLimitedLog(Logger logger, Level level, Duration window, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.level = Objects.requireNonNull(level, "level");
        this.windowNanos = window.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Logs {@code message} at this log's level if the window since the last such line is over, else at DEBUG;
     * {@code detail} (a stack trace worth having when debugging) goes with the DEBUG line only, so that the line at
     * the log's level stays one line.
     *
     * @param message the complete message
     * @param detail the exception behind it, or {@code null}
     */
    public void log(String message, @Nullable Throwable detail) {
        long suppressedBefore;
        long secondsSinceLast;
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            if (loggedBefore && now - lastLoggedAt < windowNanos) {
                suppressed++;
                suppressedBefore = -1;
                secondsSinceLast = 0;
            } else {
                suppressedBefore = suppressed;
                secondsSinceLast = Math.round((now - lastLoggedAt) / 1e9);
                suppressed = 0;
                lastLoggedAt = now;
                loggedBefore = true;
            }
        } finally {
            lock.unlock();
        }
        if (suppressedBefore < 0) {
            logger.atDebug().setCause(detail).log(message);
            return;
        }
        if (suppressedBefore == 0) {
            logger.atLevel(level).log(message);
        } else {
            logger.atLevel(level).log("{} ({} similar messages suppressed in the last {} s)", message,
                    suppressedBefore, secondsSinceLast);
        }
        if (detail != null) {
            logger.debug("The cause of: {}", message, detail);
        }
    }

    /**
     * Logs {@code message} as {@link #log(String, Throwable)} does, with no exception behind it.
     *
     * @param message the complete message
     */
    public void log(String message) {
        log(message, null);
    }
}
