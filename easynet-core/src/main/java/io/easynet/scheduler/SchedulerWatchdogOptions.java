package io.easynet.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link SchedulerWatchdog} checks the virtual-thread scheduler.
 *
 * @param threshold how long a virtual thread may wait to be scheduled before the scheduler counts as stalled
 * @param checkPeriod how often the watchdog starts a heartbeat virtual thread and checks on the last one; a stall
 *     is noticed between {@code threshold} and {@code threshold + checkPeriod} after it began
 */
public record SchedulerWatchdogOptions(Duration threshold, Duration checkPeriod) {

    /** The default threshold, 5 seconds: far beyond a garbage-collection pause or a busy moment of a loaded host. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(5);

    /** The default check period, 1 second. */
    public static final Duration DEFAULT_CHECK_PERIOD = Duration.ofSeconds(1);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if a duration is not positive
     */
    public SchedulerWatchdogOptions {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(checkPeriod, "checkPeriod");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be positive, was " + threshold);
        }
        if (checkPeriod.isNegative() || checkPeriod.isZero()) {
            throw new IllegalArgumentException("checkPeriod must be positive, was " + checkPeriod);
        }
    }

    /** {@return the default options: a 5-second threshold, checked every second} */
    public static SchedulerWatchdogOptions defaults() {
        return new SchedulerWatchdogOptions(DEFAULT_THRESHOLD, DEFAULT_CHECK_PERIOD);
    }

    /**
     * {@return these options with another threshold}
     *
     * @param threshold how long a virtual thread may wait to be scheduled
     */
    public SchedulerWatchdogOptions withThreshold(Duration threshold) {
        return new SchedulerWatchdogOptions(threshold, checkPeriod);
    }

    /**
     * {@return these options with another check period}
     *
     * @param checkPeriod how often the watchdog checks
     */
    public SchedulerWatchdogOptions withCheckPeriod(Duration checkPeriod) {
        return new SchedulerWatchdogOptions(threshold, checkPeriod);
    }
}
