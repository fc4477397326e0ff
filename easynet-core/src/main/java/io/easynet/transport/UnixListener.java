package io.easynet.transport;

import java.io.Closeable;
import java.io.IOException;

/** A listening Unix-domain stream socket. Closing it makes a blocked {@link #accept()} throw. */
public interface UnixListener extends Closeable {

    /** Blocks until a client connects and returns its connection. */
    UnixConnection accept() throws IOException;

    /** Options access to the listening socket. */
    SocketProxy socket();
}
