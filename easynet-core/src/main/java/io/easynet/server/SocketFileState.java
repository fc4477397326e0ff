package io.easynet.server;

/**
 * What {@link AsyncUnixStreamServer#socketFileState()} found at a server's path: whether new clients can still
 * reach the server. A server whose file was deleted or replaced (by a clean-up job, say) looks alive to its own
 * process while every new client fails to connect, so health checks look at the file and not only at the server.
 */
public enum SocketFileState {

    /** The server is listening and the file at its path is the socket it bound: new clients reach it. */
    INTACT,

    /** The server is listening but no file is at its path any more: new clients get "no such file". */
    MISSING,

    /**
     * The server is listening but the file at its path is another file than the socket it bound (another socket,
     * or a regular file): new clients reach whatever that file is, or fail.
     */
    REPLACED,

    /**
     * The server is listening on an abstract address, which has no file to check or lose: new clients reach it as long
     * as it listens.
     */
    ABSTRACT,

    /** The server is not listening: not started yet, stopping or stopped. */
    NOT_LISTENING
}
