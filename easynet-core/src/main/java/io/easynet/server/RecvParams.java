package io.easynet.server;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one {@link RequestStream#receive(RecvParams)} waits, as EasyNetwork's {@code RecvParams}.
 *
 * @param timeout how long to wait for the request, or {@code null} to wait as long as it takes
 */
public record RecvParams(@Nullable Duration timeout) {

    /** Wait as long as it takes. */
    public static final RecvParams DEFAULT = new RecvParams(null);

    /** Checks the timeout. */
    public RecvParams {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    /**
     * Wait at most {@code timeout}; then the receive throws {@link java.net.SocketTimeoutException}.
     *
     * @return the parameters
     */
    public static RecvParams timeout(Duration timeout) {
        return new RecvParams(Objects.requireNonNull(timeout, "timeout"));
    }
}
