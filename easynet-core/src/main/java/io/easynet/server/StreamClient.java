package io.easynet.server;

import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * One connected client, as handlers see it: the write side of the connection and its identity, as
 * EasyNetwork's {@code AsyncStreamClient}.
 *
 * <p>While the server runs a client's handler, {@link #current()} returns that client from anywhere in the call
 * chain: the server binds it in a {@link ScopedValue} for the whole connection.
 *
 * @param <Resp> the type of the responses
 */
public interface StreamClient<Resp> {

    /** {@return the client being served on the current thread} */
    static StreamClient<?> current() {
        return ClientScope.CURRENT.orElseThrow(() -> new IllegalStateException(
                "no client is being served on this thread: StreamClient.current() works within a connection's "
                        + "handler calls only"));
    }

    /** {@return the client being served on the current thread, if any} */
    static Optional<StreamClient<?>> currentIfAny() {
        return ClientScope.CURRENT.isBound() ? Optional.of(ClientScope.CURRENT.get()) : Optional.empty();
    }

    /** {@return a stable id, unique within the server, such as {@code client#42}} */
    String id();

    /**
     * Sends one response. Thread-safe: background tasks may send while the handler does, and the frames of two
     * responses never interleave.
     *
     * @param response the response to send
     * @throws ClientDisconnectedException if the connection is closed or the peer has gone
     * @throws IllegalArgumentException if the protocol cannot encode the response; nothing was sent
     */
    void send(Resp response) throws IOException;

    /**
     * Sends one response with file descriptors ({@code SCM_RIGHTS}), which travel with its first byte, so the client
     * receives them with that response. Thread-safe, as {@link #send}. The descriptors need only stay open until this
     * returns: the client gets its own copies.
     *
     * @param response the response to send
     * @param ancillary the file descriptors to send with it
     * @throws IllegalStateException if the server has no {@link ServerOptions#ancillaryBufferSize()}
     * @throws ClientDisconnectedException if the connection is closed or the peer has gone
     * @throws IllegalArgumentException if the protocol cannot encode the response or encodes it to no bytes
     */
    void sendWithAncillary(Resp response, Ancillary ancillary) throws IOException;

    /**
     * {@return the client's process, user and group ids, as the kernel recorded them when it connected ({@code
     * SO_PEERCRED}); read once at accept, so also available after the connection closed}
     *
     * @throws UnsupportedOperationException if the server does not read them: it does when
     *     {@link ServerOptions#peerCredentials()}, an {@link ServerOptions#accessPolicy() access policy} or an
     *     {@link ServerOptions#ancillaryBufferSize() ancillary buffer} is set, or it listens on an abstract address or
     *     a socket systemd passed
     */
    PeerCredentials peerCredentials();

    /** {@return whether the connection is closed or closing: closed by either end, or the server is stopping} */
    boolean isClosing();

    /**
     * Closes the connection. A receive blocked on another thread throws {@link ClientDisconnectedException}, and
     * the server calls {@code handle} no more for this client. Idempotent.
     */
    void close();

    /**
     * Runs {@code callback} once the connection is over, to release per-client resources such as scoped beans:
     * after {@code onDisconnection} (or the failed {@code onConnection}) and the close, before listeners hear of the
     * disconnect, on the client's thread with {@link #current()} still bound.
     *
     * <p>Callbacks run last registered first; one that throws is logged at ERROR and the others still run. One
     * registered once the client is over runs at once on the calling thread. Thread-safe.
     *
     * @param callback runs once the connection is closed
     */
    void addCloseCallback(Runnable callback);

    /** {@return the address the client is bound to; unnamed for most clients} */
    SocketAddress peerAddress();

    /** {@return the server's address: its socket path or abstract address} */
    SocketAddress localAddress();

    /** {@return per-client state} */
    ClientAttributes attributes();

    /** {@return options access to the client's socket} */
    SocketProxy socket();
}
