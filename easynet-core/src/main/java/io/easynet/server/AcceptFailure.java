package io.easynet.server;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a serving server accepts no new clients now, as {@link AsyncUnixStreamServer#acceptFailure()} reports it for
 * health checks: its accept loop ended while it was serving, or its accepts fail and are retried (most often
 * because the process ran out of file descriptors, "Too many open files"). Clients already connected are still
 * served either way; new ones wait in the backlog, or are refused once the listener is closed.
 *
 * @param ended {@code true} if the accept loop ended and the server will accept no client again (it has to be
 *     restarted); {@code false} if accepts fail and are retried until one succeeds, which clears the failure
 * @param cause the class and message of the exception that made the last accept fail or ended the loop
 * @param since when the first of these failures happened
 * @param failures how many accepts failed in a row since then
 */
public record AcceptFailure(boolean ended, String cause, Instant since, long failures) {

    /** Checks the fields. */
    public AcceptFailure {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(since, "since");
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be positive, got " + failures);
        }
    }

    /** {@return the class and message of {@code failure}, as {@link #cause()} gives them} */
    static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + failure.getMessage();
    }
}
