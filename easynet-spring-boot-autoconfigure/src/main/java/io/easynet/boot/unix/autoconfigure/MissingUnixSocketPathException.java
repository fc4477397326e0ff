package io.easynet.boot.unix.autoconfigure;

/** A server has no socket path: neither its properties nor its annotation give one. */
public class MissingUnixSocketPathException extends RuntimeException {

    /** The server's name. */
    private final String serverName;

    /**
     * Creates the exception.
     *
     * @param serverName the server's name
     * @param source where its handler comes from, such as a bean name
     */
    public MissingUnixSocketPathException(String serverName, String source) {
        super("Unix stream server '" + serverName + "' (" + source + ") has no socket path: set easynet.unix.servers."
                + serverName + ".path");
        this.serverName = serverName;
    }

    /** {@return the server's name} */
    public String getServerName() {
        return serverName;
    }
}
