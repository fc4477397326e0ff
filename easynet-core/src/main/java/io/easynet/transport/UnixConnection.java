package io.easynet.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One connected Unix-domain stream socket, in blocking mode: reads and writes park the calling virtual thread.
 * Closing it from another thread makes a blocked read or write throw.
 */
public interface UnixConnection extends Closeable {

    /** Reads what is available into {@code buffer}, blocking until at least one byte is; -1 at end of stream. */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes some readable bytes of {@code buffer}, blocking until at least one can be written. */
    int write(ByteBuffer buffer) throws IOException;

    /** Writes every readable byte of {@code buffer}. */
    default void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            write(buffer);
        }
    }

    /**
     * Shuts the read side down: reads return what was already queued, then end of stream, and the peer can no
     * longer write.
     */
    void shutdownInput() throws IOException;

    /** Shuts the write side down: the peer reads end of stream once it has read what was sent. */
    void shutdownOutput() throws IOException;

    /** Whether the connection is still open. */
    boolean isOpen();

    /** The address this end is bound to; unnamed for most client sockets. */
    SocketAddress localAddress() throws IOException;

    /** The address the peer is bound to; unnamed for most client sockets. */
    SocketAddress peerAddress() throws IOException;

    /** Options access to the socket. */
    SocketProxy socket();
}
