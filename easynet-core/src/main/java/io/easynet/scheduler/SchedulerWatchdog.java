package io.easynet.scheduler;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Notices when the JVM's virtual threads cannot be scheduled: code that blocks a carrier thread (a native call, a
 * blocking library, a descriptor read outside {@link io.easynet.transport.FileDescriptors}'s streams) holds it, and
 * as many such calls as there are carriers stop every virtual thread, every server's included.
 *
 * <p>A heartbeat virtual thread is started each check period; when one has waited past the threshold, the stall
 * is logged once at WARN, naming the virtual threads mounted on the carriers with their stacks, counted in
 * {@link #stallCount()}, and reported by {@link #stall()} until a heartbeat runs again (then an INFO says so).
 *
 * <p>The scheduler is the JVM's, so one watchdog is enough: {@link #acquire} shares a running watchdog among all
 * who ask for the same options, and its thread stops when the last of them closes it.
 *
 * <pre>{@code
 * try (SchedulerWatchdog watchdog = SchedulerWatchdog.acquire(SchedulerWatchdogOptions.defaults())) {
 *     // serve; watchdog.stall() is present while the scheduler is stalled
 * }
 * }</pre>
 */
public final class SchedulerWatchdog implements AutoCloseable {

    private static final ReentrantLock SHARING = new ReentrantLock();

    private static final Map<SchedulerWatchdogOptions, Heartbeat> RUNNING = new HashMap<>();

    private final Heartbeat heartbeat;

    private final AtomicBoolean closed = new AtomicBoolean();

    private SchedulerWatchdog(Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    /**
     * Watches the scheduler as {@code options} say, sharing the watchdog already running with the same options.
     *
     * @param options the threshold and check period
     * @return a watchdog to {@link #close()} when no longer needed
     */
    public static SchedulerWatchdog acquire(SchedulerWatchdogOptions options) {
        Objects.requireNonNull(options, "options");
        SHARING.lock();
        try {
            Heartbeat heartbeat = RUNNING.computeIfAbsent(options, Heartbeat::start);
            heartbeat.users++;
            return new SchedulerWatchdog(heartbeat);
        } finally {
            SHARING.unlock();
        }
    }

    /** {@return the threshold and check period} */
    public SchedulerWatchdogOptions options() {
        return heartbeat.options();
    }

    /** {@return the stall going on now, if any} */
    public Optional<SchedulerStall> stall() {
        return Optional.ofNullable(heartbeat.stall());
    }

    /** {@return whether the scheduler is stalled now} */
    public boolean isStalled() {
        return heartbeat.stall() != null;
    }

    /** {@return how many stalls were noticed since this watchdog's thread started, the one going on included} */
    public long stallCount() {
        return heartbeat.stalls();
    }

    /**
     * Stops watching; the shared thread stops when its last user closes, and this returns once it has. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean last;
        SHARING.lock();
        try {
            last = --heartbeat.users == 0;
            if (last) {
                RUNNING.remove(heartbeat.options());
            }
        } finally {
            SHARING.unlock();
        }
        if (last) {
            heartbeat.stop();
        }
    }
}
