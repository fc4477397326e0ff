package io.easynet.server;

import io.easynet.internal.util.Uninterruptibles;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per server that checks, a few times per limit, whether a client breaks a time limit that blocking
 * code cannot check for itself: a send stuck behind a peer that stops reading, a packet trickling in. A blocked
 * send or read has no deadline of its own; the watchdog closes the connection, which makes it throw. Checking all
 * clients on a tick costs one pass over them, with no timer per send or per read.
 */
final class TimeLimitWatchdog {

    private static final Logger logger = LoggerFactory.getLogger(AsyncUnixStreamServer.class);

    private static final Duration SHORTEST_TICK = Duration.ofMillis(10);

    private static final Duration LONGEST_TICK = Duration.ofSeconds(1);

    /** Ticks per limit: a limit is enforced at most a tenth of itself late. */
    private static final int TICKS_PER_LIMIT = 10;

    private final Thread thread;

    private TimeLimitWatchdog(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts checking with {@code check} every tick, or returns {@code null} when the options set no time limit to
     * watch.
     */
    static @Nullable TimeLimitWatchdog start(ServerOptions options, String name, Runnable check) {
        Duration shortest = shortestLimit(options);
        if (shortest == null) {
            return null;
        }
        Duration tick = clamp(shortest.dividedBy(TICKS_PER_LIMIT));
        Thread thread = Thread.ofVirtual().name(name).start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(tick);
                    try {
                        check.run();
                    } catch (RuntimeException e) {
                        logger.error("Checking the time limits of {}'s clients failed; checking again in {} ms", name,
                                tick.toMillis(), e);
                    }
                }
            } catch (InterruptedException e) {
                // stopped with the server
            }
        });
        return new TimeLimitWatchdog(thread);
    }

    /** Stops checking; returns once the last check ended. */
    void stop() {
        thread.interrupt();
        Uninterruptibles.joinAll(List.of(thread), System.nanoTime() + LONGEST_TICK.toNanos());
    }

    private static @Nullable Duration shortestLimit(ServerOptions options) {
        Duration send = options.sendTimeout();
        MinReceiveRate rate = options.minReceiveRate();
        Duration grace = rate == null ? null : rate.grace();
        if (send == null) {
            return grace;
        }
        return grace == null || send.compareTo(grace) <= 0 ? send : grace;
    }

    private static Duration clamp(Duration tick) {
        if (tick.compareTo(SHORTEST_TICK) < 0) {
            return SHORTEST_TICK;
        }
        return tick.compareTo(LONGEST_TICK) > 0 ? LONGEST_TICK : tick;
    }
}
