package io.easynet.benchmarks.echo;

import java.time.Duration;
import java.util.List;

/**
 * How long a run warms its server up before measuring: at least {@code minimum}, then until the exchanges of the
 * last {@code windows} one-second windows agree within {@code tolerance} of their mean, but never longer than
 * {@code maximum}. A fresh server JVM is still compiling its hot path for several seconds (the Spring demo's
 * observation code for about ten under load), so a fixed short warm-up measures the JIT, not the server.
 *
 * @param minimum the shortest warm-up
 * @param maximum the longest warm-up, after which the run is measured even if its rate still moves
 * @param windows how many successive one-second windows must agree
 * @param tolerance how far from their mean any of those windows may be, as a fraction (0.05 = 5 %)
 */
record WarmUp(Duration minimum, Duration maximum, int windows, double tolerance) {

    /** The length of one window whose exchanges are counted. */
    static final Duration WINDOW = Duration.ofSeconds(1);

    WarmUp {
        if (maximum.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("the longest warm-up (" + maximum + ") is shorter than the shortest ("
                    + minimum + ")");
        }
        if (windows < 2) {
            throw new IllegalArgumentException("a rate is stable over at least 2 windows, not " + windows);
        }
    }

    /** A warm-up of exactly {@code length}, without waiting for a stable rate. */
    static WarmUp fixed(Duration length) {
        return new WarmUp(length, length, 2, 0);
    }

    /** Whether the rate is stable: the last {@link #windows} counts each within {@link #tolerance} of their mean. */
    boolean stable(List<Long> exchangesPerWindow) {
        if (exchangesPerWindow.size() < windows) {
            return false;
        }
        List<Long> last = exchangesPerWindow.subList(exchangesPerWindow.size() - windows, exchangesPerWindow.size());
        double mean = last.stream().mapToLong(Long::longValue).average().orElse(0);
        return mean > 0 && last.stream().allMatch(count -> Math.abs(count - mean) <= tolerance * mean);
    }
}
