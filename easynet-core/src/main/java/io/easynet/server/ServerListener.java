package io.easynet.server;

/**
 * Callbacks on what a server does, for metrics, tracing and admin endpoints, so that these are built beside the
 * server instead of inside it. Every method has an empty default; implement the ones you need.
 *
 * <p>Callbacks run on the thread that did the work (a client's thread, mostly), so they must be quick and
 * must not block. One that throws is logged and does not disturb the server.
 */
public interface ServerListener {

    /** The server is bound and accepting. */
    default void serverStarted(AsyncUnixStreamServer<?, ?> server) {
    }

    /** The server has stopped: every client is gone and the socket file is removed. */
    default void serverStopped(AsyncUnixStreamServer<?, ?> server) {
    }

    /** A client was accepted, before {@code onConnection} runs. */
    default void clientConnected(StreamClient<?> client) {
    }

    /** A read returned {@code count} bytes from the client. */
    default void bytesReceived(StreamClient<?> client, int count) {
    }

    /** A complete request was decoded and is being handed to the handler. */
    default void requestReceived(StreamClient<?> client) {
    }

    /** A response of {@code size} bytes, framing included, was written to the client. */
    default void responseSent(StreamClient<?> client, int size) {
    }

    /**
     * A receive ended in an error the handler may recover from: a bad packet
     * ({@link io.easynet.protocol.StreamProtocolParseException}) or a timeout
     * ({@link java.net.SocketTimeoutException}).
     */
    default void receiveFailed(StreamClient<?> client, Exception error) {
    }

    /** {@code onConnection}, {@code handle} or {@code onDisconnection} threw something other than a disconnect. */
    default void handlerFailed(StreamClient<?> client, Throwable error) {
    }

    /** The client's connection is closed, for {@code reason}. */
    default void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
    }

    /** Why a client's connection ended. */
    enum DisconnectReason {
        /** The client closed it, or the handler closed it or returned without receiving. */
        NORMAL,
        /** A handler method threw. */
        ERROR,
        /** The server stopped. */
        SHUTDOWN,
        /** The client sent no request within the server's {@link ServerOptions#idleTimeout() idle timeout}. */
        TIMEOUT
    }
}
