package io.easynet.micrometer;

import io.easynet.scheduler.SchedulerWatchdog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.Objects;

/**
 * Meters of the JVM's {@link SchedulerWatchdog}: {@code easynet.unix.scheduler.stalls}, a counter of the stalls
 * noticed, and {@code easynet.unix.scheduler.stalled}, a gauge of how long the stall going on has lasted, in
 * seconds (0 while virtual threads are scheduled). No tags: the scheduler is the JVM's, shared by every server.
 *
 * <pre>{@code
 * new SchedulerWatchdogMetrics(watchdog).bindTo(registry);
 * }</pre>
 */
public final class SchedulerWatchdogMetrics implements MeterBinder {

    private final SchedulerWatchdog watchdog;

    /**
     * Reports on {@code watchdog}.
     *
     * @param watchdog the watchdog whose stalls are measured
     */
    public SchedulerWatchdogMetrics(SchedulerWatchdog watchdog) {
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("easynet.unix.scheduler.stalls", watchdog, SchedulerWatchdog::stallCount)
                .description("Times virtual threads could not be scheduled for longer than the watchdog's "
                        + "threshold, because code held every carrier thread")
                .register(registry);
        Gauge.builder("easynet.unix.scheduler.stalled", watchdog, SchedulerWatchdogMetrics::stalledSeconds)
                .description("How long virtual threads have not been scheduled, while they are not; 0 otherwise")
                .baseUnit("seconds")
                .register(registry);
    }

    private static double stalledSeconds(SchedulerWatchdog watchdog) {
        return watchdog.stall().map(stall -> stall.duration(Instant.now()).toNanos() / 1e9).orElse(0.0);
    }
}
