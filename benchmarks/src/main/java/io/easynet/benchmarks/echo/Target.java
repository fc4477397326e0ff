package io.easynet.benchmarks.echo;

/**
 * One of the targets: mostly a ratio between two runs of the same matrix invocation, or a rate.
 *
 * @param name what is compared with what
 * @param value the measured ratio or rate
 * @param limit the bound the value must respect
 * @param atMost whether the value must stay at or below the limit (latency) rather than reach it (throughput)
 * @param unit what the value is
 */
record Target(String name, double value, double limit, boolean atMost, Unit unit) {

    /** What a target's value and limit are, and how they are written. */
    enum Unit {
        /** A ratio between two runs, written {@code 0.95×}. */
        RATIO("%.2f×"),
        /** Connections per second, written {@code 20,000 conn/s}. */
        CONNECTIONS_PER_SECOND("%,.0f conn/s");

        private final String format;

        Unit(String format) {
            this.format = format;
        }

        String format(double value) {
            return String.format(java.util.Locale.ROOT, format, value);
        }
    }

    /** Whether this run meets the target. */
    boolean met() {
        return atMost ? value <= limit : value >= limit;
    }
}
