package io.easynet.scheduler;

import io.easynet.internal.util.Uninterruptibles;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work behind a {@link SchedulerWatchdog}: a daemon platform thread that starts a heartbeat virtual thread
 * each check period and, when one has waited past the threshold to run, reports the stall once (a WARN naming the
 * virtual threads on the carriers, with their stacks) and again when it ends (an INFO).
 *
 * <p>A platform thread watches because a virtual one would wait for a carrier like the heartbeat. One heartbeat
 * is outstanding at a time, so a long stall adds one queued virtual thread, not one per period.
 */
final class Heartbeat {

    private static final Logger logger = LoggerFactory.getLogger(SchedulerWatchdog.class);

    private final SchedulerWatchdogOptions options;

    private final AtomicLong stalls = new AtomicLong();

    private volatile boolean running = true;

    private volatile @Nullable SchedulerStall stall;

    /** The last heartbeat started; touched by the watching thread alone. */
    private @Nullable Beat beat;

    private @Nullable Thread watcher;

    /** How many {@link SchedulerWatchdog}s share this heartbeat; guarded by {@link SchedulerWatchdog}'s lock. */
    int users;

    private Heartbeat(SchedulerWatchdogOptions options) {
        this.options = options;
    }

    static Heartbeat start(SchedulerWatchdogOptions options) {
        Heartbeat heartbeat = new Heartbeat(options);
        heartbeat.watcher = Thread.ofPlatform().daemon().name("easynet-scheduler-watchdog").start(heartbeat::run);
        return heartbeat;
    }

    SchedulerWatchdogOptions options() {
        return options;
    }

    @Nullable SchedulerStall stall() {
        return stall;
    }

    long stalls() {
        return stalls.get();
    }

    /** Stops the watching thread and waits until it has ended. */
    void stop() {
        running = false;
        Thread thread = watcher;
        if (thread != null) {
            LockSupport.unpark(thread);
            Uninterruptibles.join(thread);
        }
    }

    private void run() {
        long period = options.checkPeriod().toNanos();
        while (running) {
            try {
                check();
            } catch (RuntimeException | OutOfMemoryError e) {
                // A heartbeat that cannot even be started (no memory for a thread, say) must not end the watch.
                logger.warn("The scheduler watchdog could not check the scheduler; it tries again", e);
            }
            LockSupport.parkNanos(this, period);
        }
    }

    private void check() {
        Beat last = beat;
        if (last == null || last.ran) {
            if (last != null && stall != null) {
                stall = null;
                logger.info("Virtual threads are scheduled again: a heartbeat waited {} ms for a carrier thread",
                        Duration.ofNanos(last.ranAt - last.startedAt).toMillis());
            }
            Beat next = new Beat();
            beat = next;
            Thread.ofVirtual().name("easynet-scheduler-heartbeat").start(next::run);
        } else if (stall == null && System.nanoTime() - last.startedAt >= options.threshold().toNanos()) {
            stalled(last);
        }
    }

    private void stalled(Beat last) {
        List<CarrierHolder> holders;
        String unknown = "";
        try {
            holders = MountedThreads.now();
        } catch (IOException | RuntimeException e) {
            holders = List.of();
            unknown = " (the thread dump that names them failed: " + e + ")";
        }
        stall = new SchedulerStall(last.startedAtInstant, holders);
        stalls.incrementAndGet();
        StringBuilder message = new StringBuilder("Virtual threads could not be scheduled for ")
                .append(Duration.ofNanos(System.nanoTime() - last.startedAt).toMillis()).append(" ms (threshold ")
                .append(options.threshold().toMillis()).append(" ms): code holds the carrier threads. ");
        if (holders.isEmpty()) {
            message.append("No virtual thread was found on a carrier").append(unknown);
        } else {
            message.append("Virtual threads on carriers:");
            for (CarrierHolder holder : holders) {
                message.append("\n\"").append(holder.thread()).append("\" #").append(holder.threadId())
                        .append(" on ").append(holder.carrier());
                holder.stack().forEach(frame -> message.append("\n\tat ").append(frame));
            }
        }
        logger.warn(message.toString());
    }

    /** One heartbeat: a virtual thread that only notes that it ran. */
    private static final class Beat {

        private final long startedAt = System.nanoTime();

        private final Instant startedAtInstant = Instant.now();

        private volatile long ranAt;

        private volatile boolean ran;

        void run() {
            ranAt = System.nanoTime();
            ran = true;
        }
    }
}
