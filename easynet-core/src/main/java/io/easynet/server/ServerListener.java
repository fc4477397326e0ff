package io.easynet.server;

import org.jspecify.annotations.Nullable;

/**
 * Callbacks on what a server does, for metrics, tracing and admin endpoints, so that these are built beside the
 * server instead of inside it. Every method has an empty default; implement the ones you need.
 *
 * <p>Callbacks run on the thread that did the work, so they must be quick and must not block. One that throws is
 * logged and does not disturb the server. {@code clientConnected}, {@code handlerFailed} and
 * {@code clientDisconnected} run on the client's own thread; the receive callbacks on the thread that receives (the
 * client's, unless its handler receives elsewhere; timed receives read on a helper thread but report on the
 * receiving one); {@code responseSent} on the thread that sends.
 */
public interface ServerListener {

    /**
     * The server is bound and accepting.
     *
     * @param server the server
     */
    default void serverStarted(AsyncUnixStreamServer<?, ?> server) {
    }

    /**
     * The server has stopped: every client is gone and the socket file is removed.
     *
     * @param server the server
     */
    default void serverStopped(AsyncUnixStreamServer<?, ?> server) {
    }

    /**
     * The accept loop closed a connection it had accepted but will not serve, for {@code reason}; the server
     * reports nothing else about that connection.
     *
     * @param server the server
     * @param reason why the connection was refused
     */
    default void connectionRejected(AsyncUnixStreamServer<?, ?> server, RejectReason reason) {
    }

    /**
     * A client was accepted, before {@code onConnection} runs.
     *
     * @param client the client
     */
    default void clientConnected(StreamClient<?> client) {
    }

    /**
     * A read returned {@code count} bytes from the client.
     *
     * @param client the client
     * @param count how many bytes were read
     */
    default void bytesReceived(StreamClient<?> client, int count) {
    }

    /**
     * A complete request was decoded and is being handed to the handler.
     *
     * @param client the client
     */
    default void requestReceived(StreamClient<?> client) {
    }

    /**
     * The handler is done with the request last handed to it, {@code durationNanos} after it was: it asked for the
     * next request, or the client's session ended (before {@code onDisconnection}). Reported once per
     * {@link #requestReceived request received}.
     *
     * @param client the client
     * @param durationNanos how long the handler took, in nanoseconds
     */
    default void requestCompleted(StreamClient<?> client, long durationNanos) {
    }

    /**
     * A response of {@code size} bytes, framing included, was written to the client.
     *
     * @param client the client
     * @param size the response's size in bytes, framing included
     */
    default void responseSent(StreamClient<?> client, int size) {
    }

    /**
     * A receive ended in an error the handler may recover from: a bad packet
     * ({@link io.easynet.protocol.StreamProtocolParseException}) or a timeout
     * ({@link java.net.SocketTimeoutException}).
     *
     * @param client the client
     * @param error the failure
     */
    default void receiveFailed(StreamClient<?> client, Exception error) {
    }

    /**
     * {@code onConnection}, {@code handle} or {@code onDisconnection} threw something other than a disconnect.
     *
     * @param client the client
     * @param error the failure
     */
    default void handlerFailed(StreamClient<?> client, Throwable error) {
    }

    /**
     * The server enforced one of its limits: it refused, dropped or closed something, or (for
     * {@link Limit#MAX_CONNECTIONS}) began to leave new connections in the backlog. {@code client} is the client
     * concerned, or {@code null} for a limit on the server as a whole. Logged by the server; this is for counting.
     *
     * @param server the server
     * @param client the client, or {@code null} if the limit is the server's
     * @param limit the limit reached
     */
    default void limitReached(AsyncUnixStreamServer<?, ?> server, @Nullable StreamClient<?> client, Limit limit) {
    }

    /**
     * The client's connection is closed, for {@code reason}.
     *
     * @param client the client, or {@code null} if the limit is the server's
     * @param reason why the connection ended
     */
    default void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
    }

    /** The limits a server enforces, each reported to {@link #limitReached} when it bites. */
    enum Limit {
        /**
         * {@link ServerOptions#maxConnections()} clients are connected: new connections wait in the backlog until one
         * leaves. Reported each time the number of clients reaches the limit, whether or not a connection waits.
         */
        MAX_CONNECTIONS,
        /** A packet was longer than {@link ServerOptions#maxPacketSize()}; the receive threw a parse error. */
        PACKET_SIZE,
        /** A receive waited its {@link ServerOptions#receiveTimeout() timeout} (or its own) for nothing. */
        RECEIVE_TIMEOUT,
        /** The client sent nothing for the {@link ServerOptions#idleTimeout() idle timeout}; closed. */
        IDLE_TIMEOUT,
        /** A packet arrived slower than the {@link ServerOptions#minReceiveRate() minimum rate}; closed. */
        SLOW_PACKET,
        /** A send did not finish within the {@link ServerOptions#sendTimeout() send timeout}; closed. */
        SEND_TIMEOUT,
        /** A send was refused: {@link ServerOptions#maxQueuedSends()} were already waiting. */
        SEND_QUEUE,
        /**
         * The client sent more file descriptors than {@link ServerOptions#maxDescriptors()} for packets not yet
         * received; they were closed, and so was the connection.
         */
        DESCRIPTORS
    }

    /**
     * Why the accept loop closed a connection without serving it. Clients beyond
     * {@link ServerOptions#maxConnections()} are not rejected: they wait in the backlog.
     */
    enum RejectReason {
        /** The server began to stop as the connection came in. */
        SHUTDOWN,
        /** Setting the client up failed, for example because no thread could be made for it. */
        ERROR,
        /** The server's {@link ServerOptions#accessPolicy() access policy} does not allow the peer. */
        DENIED
    }

    /** Why a client's connection ended. */
    enum DisconnectReason {
        /** The client closed it, or the handler closed it or returned without receiving. */
        NORMAL,
        /**
         * A handler method threw, or the client broke the protocol so that the server closed it: it sent more file
         * descriptors than {@link ServerOptions#maxDescriptors()}.
         */
        ERROR,
        /** The server stopped. */
        SHUTDOWN,
        /**
         * The client was too slow and the server closed it: it sent nothing within the
         * {@link ServerOptions#idleTimeout() idle timeout}, trickled a packet below the
         * {@link ServerOptions#minReceiveRate() minimum rate}, or did not read a response within the
         * {@link ServerOptions#sendTimeout() send timeout}.
         */
        TIMEOUT
    }
}
