package io.easynet.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default of {@link ServerOptions#maxConnections()}, derived from the process's open-files limit
 * ({@code RLIMIT_NOFILE}, which the JVM raises to the hard limit at start on Linux): each client holds a descriptor,
 * and a server that takes them all leaves none for its own accepts, its logs, the application's HTTP connections
 * and jars, or descriptors clients pass. So the default keeps a tenth of the limit for the rest of the process (at
 * least 256 descriptors, or half of a limit under 512).
 */
final class OpenFilesLimit {

    /** The fewest descriptors kept for the rest of the process, unless the limit is under twice as many. */
    static final int MIN_HEADROOM = 256;

    private OpenFilesLimit() {
    }

    /** {@return the default maxConnections for this process; {@link Integer#MAX_VALUE} if its limit is unknown} */
    static int defaultMaxConnections() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? maxConnectionsFor(unix.getMaxFileDescriptorCount())
                : Integer.MAX_VALUE;
    }

    /**
     * {@return the clients served at once that leave headroom in an open-files limit of {@code limit}: the limit less
     * a tenth of it, or less {@value #MIN_HEADROOM} if that is more, or half of it below 512; {@link Integer#MAX_VALUE}
     * for an unknown limit (0 or less)}
     */
    static int maxConnectionsFor(long limit) {
        if (limit <= 0) {
            return Integer.MAX_VALUE;
        }
        long headroom = Math.max(Math.min(MIN_HEADROOM, limit / 2), limit / 10);
        return (int) Math.clamp(limit - headroom, 1, Integer.MAX_VALUE);
    }
}
