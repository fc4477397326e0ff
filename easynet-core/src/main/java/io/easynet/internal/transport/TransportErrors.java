package io.easynet.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;
import org.newsclub.net.unix.ConnectionRefusedSocketException;

/** The errors both transports throw, worded the same, so that callers see one contract. */
final class TransportErrors {

    private TransportErrors() {
    }

    /**
     * The cause, of the same kind, with a message that says what was attempted where. junixsocket's refusals are
     * reported as the JDK's kinds ({@link ConnectException}, {@link BindException}).
     */
    static IOException withAddress(String action, Object address, IOException cause) {
        String message = action + address + ": " + cause.getMessage();
        IOException described = switch (cause) {
            case ConnectException c -> new ConnectException(message);
            case ConnectionRefusedSocketException c -> new ConnectException(message);
            case BindException b -> new BindException(message);
            case AddressAlreadyInUseSocketException b -> new BindException(message);
            case SocketException s -> new SocketException(message);
            default -> new IOException(message);
        };
        described.initCause(cause);
        return described;
    }

    static SocketTimeoutException connectTimedOut(Object address, Duration timeout) {
        return new SocketTimeoutException("connect to " + address + " timed out after " + timeout.toMillis() + " ms");
    }

    /** The failure of a task run on another thread, as thrown by the task. */
    static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }

    /** Why the JDK transport cannot do something, and what to use instead. */
    static UnsupportedOperationException needsJunixsocket(String what) {
        return new UnsupportedOperationException("the JDK transport cannot " + what
                + "; use UnixTransport.junixsocket()");
    }
}
