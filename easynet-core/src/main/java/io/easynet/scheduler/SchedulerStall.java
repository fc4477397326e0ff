package io.easynet.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stall of the virtual-thread scheduler: since when a heartbeat virtual thread has waited for a carrier, and the
 * virtual threads that held the carriers when the stall was noticed.
 *
 * @param since when the heartbeat that has not run yet was started
 * @param holders the virtual threads mounted on carriers when the stall was noticed; empty if the JVM's thread dump
 *     could not be taken, or if platform code holds the carriers (a custom scheduler, say)
 */
public record SchedulerStall(Instant since, List<CarrierHolder> holders) {

    /** Copies the holders. */
    public SchedulerStall {
        Objects.requireNonNull(since, "since");
        holders = List.copyOf(holders);
    }

    /**
     * {@return how long the stall has lasted at {@code now}}
     *
     * @param now the time to measure to
     */
    public Duration duration(Instant now) {
        return Duration.between(since, now);
    }
}
