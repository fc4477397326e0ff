package io.easynet.transport;

import java.io.Serial;
import java.nio.channels.ClosedChannelException;
import org.jspecify.annotations.Nullable;

/** The connection was closed by this side, before or during a send or receive. Names the peer. */
public final class StreamClosedException extends ClosedChannelException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Who is on the other end, for the message. */
    private final String description;

    /**
     * Creates the exception.
     *
     * @param description who is on the other end, such as {@code server on /run/app.sock}
     * @param cause the channel's own exception, if any
     */
    public StreamClosedException(String description, @Nullable Throwable cause) {
        this.description = description;
        initCause(cause);
    }

    @Override
    public String getMessage() {
        return "connection of " + description + " is closed";
    }
}
