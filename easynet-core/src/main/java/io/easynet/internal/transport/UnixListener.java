package io.easynet.internal.transport;

import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.SocketProxy;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/** A listening Unix-domain stream socket. Closing it makes a blocked {@link #accept()} throw. */
public interface UnixListener extends Closeable {

    /**
     * Blocks until a client connects and returns its connection.
     *
     * @return the connection
     * @throws IOException if the listener is closed or accepting fails
     */
    UnixConnection accept() throws IOException;

    /**
     * Accepts a client that is already waiting, without blocking: how a server checks, before it says it started,
     * that its listener accepts at all (a listener closed or broken underneath it fails here, not silently later).
     * Not to be called while another thread is in {@link #accept()}.
     *
     * @return the connection of a waiting client, or {@code null} if none waits
     * @throws IOException if the listener is closed or accepting fails
     */
    @Nullable UnixConnection acceptIfWaiting() throws IOException;

    /**
     * {@return the address the socket is bound to: a {@link java.net.UnixDomainSocketAddress} or an {@link
     * AbstractUnixAddress}} For a socket systemd passed, this is how to tell which one it is.
     *
     * @throws IOException if the socket is closed
     */
    SocketAddress localAddress() throws IOException;

    /** {@return options access to the listening socket} */
    SocketProxy socket();
}
