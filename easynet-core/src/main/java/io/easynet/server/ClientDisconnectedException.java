package io.easynet.server;

import java.io.IOException;
import java.io.Serial;

/**
 * The client connection is over: the peer closed it, it was closed from this side, or the server is shutting
 * down. Thrown by {@link RequestStream#receive()} and {@link StreamClient#send(Object)}; handlers normally let it
 * propagate, using {@code try}/{@code finally} for their clean-up, and the server logs it at DEBUG only.
 */
public class ClientDisconnectedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message that names the client.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public ClientDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception with a message that names the client.
     *
     * @param message the detail message
     */
    public ClientDisconnectedException(String message) {
        super(message);
    }
}
