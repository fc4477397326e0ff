package io.easynet.server;

import java.io.IOException;
import java.io.Serial;

/**
 * {@link StreamRequestHandler#serviceInit} failed, so the server did not start. By the time this is thrown, what
 * it had registered is closed, its background tasks are stopped and the socket file is removed.
 */
public class ServiceInitException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for the server at the named path.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public ServiceInitException(String message, Throwable cause) {
        super(message, cause);
    }
}
