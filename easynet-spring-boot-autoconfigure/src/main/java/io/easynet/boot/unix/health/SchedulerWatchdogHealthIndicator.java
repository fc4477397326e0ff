package io.easynet.boot.unix.health;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.easynet.scheduler.SchedulerStall;
import io.easynet.scheduler.SchedulerWatchdog;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * The health of the JVM's virtual-thread scheduler, as the {@link SchedulerWatchdog} sees it: {@code UP} while
 * virtual threads are scheduled, {@code DOWN} while code holds every carrier thread, since no server can then
 * serve anyone. Details: {@code threshold}; while down, a {@code reason}, {@code stalledFor} (an ISO-8601 duration
 * in milliseconds) and {@code carriersHeldBy}, the virtual threads that held the carriers when the stall was
 * noticed (their stacks are in the watchdog's WARN).
 */
public final class SchedulerWatchdogHealthIndicator extends AbstractHealthIndicator {

    /** The reason given while the scheduler is stalled. */
    public static final String STALLED = "virtual threads cannot be scheduled: code holds every carrier thread";

    private final SchedulerWatchdog watchdog;

    private final Clock clock;

    /**
     * Reports what {@code watchdog} sees, measuring stalls with the system clock.
     *
     * @param watchdog the watchdog to report on
     */
    public SchedulerWatchdogHealthIndicator(SchedulerWatchdog watchdog) {
        this(watchdog, Clock.systemUTC());
    }

    /**
     * Reports what {@code watchdog} sees, measuring stalls with {@code clock}.
     *
     * @param watchdog the watchdog to report on
     * @param clock the clock a stall's duration is measured with
     */
    public SchedulerWatchdogHealthIndicator(SchedulerWatchdog watchdog, Clock clock) {
        super("Health check of the virtual-thread scheduler failed");
        Assert.notNull(watchdog, "'watchdog' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        this.watchdog = watchdog;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("threshold", watchdog.options().threshold().toString());
        Optional<SchedulerStall> stall = watchdog.stall();
        if (stall.isEmpty()) {
            builder.up();
            return;
        }
        Duration stalledFor = stall.get().duration(clock.instant()).truncatedTo(ChronoUnit.MILLIS);
        builder.down().withDetail("reason", STALLED).withDetail("stalledFor", stalledFor.toString())
                .withDetail("carriersHeldBy", stall.get().holders().stream()
                        .map(holder -> holder.thread() + " on " + holder.carrier()).toList());
    }
}
