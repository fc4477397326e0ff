package io.easynet.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/** A listening Unix-domain stream socket. Closing it makes a blocked {@link #accept()} throw. */
public interface UnixListener extends Closeable {

    /** Blocks until a client connects and returns its connection. */
    UnixConnection accept() throws IOException;

    /**
     * The address the socket is bound to: a {@link java.net.UnixDomainSocketAddress} or an
     * {@link AbstractUnixAddress}. For an inherited socket, this is how to tell which one it is.
     */
    SocketAddress localAddress() throws IOException;

    /** Options access to the listening socket. */
    SocketProxy socket();
}
