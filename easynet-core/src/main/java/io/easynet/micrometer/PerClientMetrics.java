package io.easynet.micrometer;

/**
 * Whether a {@link ServerMetricsListener} keeps meters per client, and for at most how many live clients: each one
 * costs {@value ServerMetricsListener#METERS_PER_CLIENT} meters while it is connected, so the limit bounds what a
 * burst of clients can add to the registry. Clients beyond the limit count only in the server's meters.
 *
 * @param enabled whether clients get meters of their own
 * @param limit the most clients that have meters at once; 0 is as good as disabled
 */
public record PerClientMetrics(boolean enabled, int limit) {

    /** The limit unless one is given: enough for a busy local service, small for a meter registry. */
    public static final int DEFAULT_LIMIT = 1000;

    /** Checks the limit. */
    public PerClientMetrics {
        if (limit < 0) {
            throw new IllegalArgumentException("per-client metrics limit must not be negative, got " + limit);
        }
    }

    /** {@return per-client meters on, for at most {@value #DEFAULT_LIMIT} live clients} */
    public static PerClientMetrics defaults() {
        return new PerClientMetrics(true, DEFAULT_LIMIT);
    }

    /** {@return no per-client meters: clients count only in the server's meters} */
    public static PerClientMetrics off() {
        return new PerClientMetrics(false, 0);
    }

    /** Whether a client may get meters of its own at all. */
    boolean any() {
        return enabled && limit > 0;
    }
}
