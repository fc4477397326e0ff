package io.easynet.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One connected Unix-domain stream socket, in blocking mode: reads and writes park the calling virtual thread.
 * Closing it from another thread makes a blocked read or write throw a
 * {@link java.nio.channels.ClosedChannelException}; so does interrupting the blocked thread, which also closes the
 * connection.
 *
 * <p>Descriptor passing and peer credentials need the junixsocket transport; the JDK one refuses them with an
 * {@link UnsupportedOperationException}.
 */
public interface UnixConnection extends Closeable {

    /** Reads what is available into {@code buffer}, blocking until at least one byte is; -1 at end of stream. */
    int read(ByteBuffer buffer) throws IOException;

    /**
     * Reads like {@link #read(ByteBuffer)}, and also receives the file descriptors the peer sent with the bytes
     * read ({@code SCM_RIGHTS}). Descriptors that arrive during a plain {@code read} are closed unread.
     *
     * <p>The kernel ends a read right after the bytes of a write that carried descriptors, or earlier when the
     * buffer fills up: the descriptors came with the write that the last byte read belongs to.
     *
     * @param ancillaryBufferSize room for ancillary data, in bytes ({@link Ancillary#bufferSizeFor(int)})
     * @throws AncillaryTruncatedException if more descriptors arrived than fit; the connection is then closed
     * @throws UnsupportedOperationException on the JDK transport, or for a size the transport cannot receive with
     */
    AncillaryRead readWithAncillary(ByteBuffer buffer, int ancillaryBufferSize) throws IOException;

    /** Writes some readable bytes of {@code buffer}, blocking until at least one can be written. */
    int write(ByteBuffer buffer) throws IOException;

    /**
     * Writes like {@link #write(ByteBuffer)}, with the ancillary data attached to the first byte written, so it
     * arrives with that byte. Write the rest of the buffer with plain writes.
     *
     * @throws IllegalArgumentException if {@code buffer} has no byte to carry the ancillary data
     * @throws UnsupportedOperationException on the JDK transport
     */
    int writeWithAncillary(ByteBuffer buffer, Ancillary ancillary) throws IOException;

    /** Writes every readable byte of {@code buffer}. */
    default void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            write(buffer);
        }
    }

    /**
     * Shuts the read side down: a blocked read returns end of stream at once, as do later reads, even if bytes
     * were still queued; the peer can no longer write.
     */
    void shutdownInput() throws IOException;

    /** Shuts the write side down: the peer reads end of stream once it has read what was sent. */
    void shutdownOutput() throws IOException;

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * The address this end is bound to: a {@link java.net.UnixDomainSocketAddress} (empty for an unnamed socket,
     * as most client sockets are) or an {@link AbstractUnixAddress}.
     */
    SocketAddress localAddress() throws IOException;

    /** The address the peer is bound to, in the same forms as {@link #localAddress()}. */
    SocketAddress peerAddress() throws IOException;

    /**
     * The peer's process, user and group ids, as the kernel recorded them when the connection was made.
     *
     * @throws UnsupportedOperationException on the JDK transport, which has no pid; its user and group names are
     *     {@code socket().getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED)}
     */
    PeerCredentials peerCredentials() throws IOException;

    /** Options access to the socket. */
    SocketProxy socket();
}
