package io.easynet.boot.unix;

import java.nio.file.Path;

/** A managed server failed to start; the message names the server and its path, the cause says why. */
public class UnixStreamServerException extends RuntimeException {

    /** The server's name. */
    private final String serverName;

    /** The socket path the server was to bind. */
    private final Path path;

    /**
     * Creates the exception for the server {@code serverName} on {@code path}.
     *
     * @param serverName the server's name
     * @param path the socket path the server was to bind
     * @param cause the underlying failure
     */
    public UnixStreamServerException(String serverName, Path path, Throwable cause) {
        super("Unix stream server '" + serverName + "' failed to start on " + path + ": " + cause.getMessage(), cause);
        this.serverName = serverName;
        this.path = path;
    }

    /** {@return the server's name} */
    public String getServerName() {
        return serverName;
    }

    /** {@return the socket path the server was to bind} */
    public Path getPath() {
        return path;
    }
}
