package io.easynet.internal.transport;

import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.Ancillary;
import io.easynet.transport.AncillaryTruncatedException;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
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

    /**
     * Reads what is available into {@code buffer}, blocking until at least one byte is; -1 at end of stream.
     *
     * @param buffer receives the bytes
     * @return how many bytes were read, or -1 at the end of the stream
     * @throws IOException if the connection failed
     */
    int read(ByteBuffer buffer) throws IOException;

    /**
     * Reads like {@link #read(ByteBuffer)}, and also receives the file descriptors the peer sent with the bytes
     * read ({@code SCM_RIGHTS}). Descriptors that arrive during a plain {@code read} are closed unread.
     *
     * <p>The kernel ends a read right after the bytes of a write that carried descriptors, or earlier when the
     * buffer fills up: the descriptors came with the write that the last byte read belongs to.
     *
     * @param ancillaryBufferSize room for ancillary data, in bytes ({@link Ancillary#bufferSizeFor(int)})
     * @param buffer receives the bytes
     * @return the bytes read and the descriptors that came with them
     * @throws AncillaryTruncatedException if more descriptors arrived than fit; the connection is then closed
     * @throws UnsupportedOperationException on the JDK transport, or for a size the transport cannot receive with
     */
    AncillaryRead readWithAncillary(ByteBuffer buffer, int ancillaryBufferSize) throws IOException;

    /**
     * Writes some readable bytes of {@code buffer}, blocking until at least one can be written.
     *
     * @param buffer the bytes to write
     * @return how many bytes were written
     * @throws IOException if the connection failed
     */
    int write(ByteBuffer buffer) throws IOException;

    /**
     * Writes like {@link #write(ByteBuffer)}, with the ancillary data attached to the first byte written, so it
     * arrives with that byte. Write the rest of the buffer with plain writes.
     *
     * @param buffer the bytes to write
     * @param ancillary the file descriptors to send with the first byte
     * @return how many bytes were written
     * @throws IllegalArgumentException if {@code buffer} has no byte to carry the ancillary data
     * @throws UnsupportedOperationException on the JDK transport
     * @throws IOException if the connection failed
     */
    int writeWithAncillary(ByteBuffer buffer, Ancillary ancillary) throws IOException;

    /**
     * Writes every readable byte of {@code buffer}.
     *
     * @param buffer the bytes to write
     * @throws IOException if the connection failed
     */
    default void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            write(buffer);
        }
    }

    /**
     * Shuts the read side down: a blocked read returns end of stream at once, as do later reads, even if bytes
     * were still queued; the peer can no longer write.
     *
     * @throws IOException if the connection failed
     */
    void shutdownInput() throws IOException;

    /**
     * Shuts the write side down: the peer reads end of stream once it has read what was sent.
     *
     * @throws IOException if the connection failed
     */
    void shutdownOutput() throws IOException;

    /** {@return whether the connection is still open} */
    boolean isOpen();

    /**
     * {@return the address this end is bound to: a {@link java.net.UnixDomainSocketAddress} (empty for an unnamed
     * socket, as most client sockets are) or an {@link AbstractUnixAddress}}
     *
     * @throws IOException if the socket is closed
     */
    SocketAddress localAddress() throws IOException;

    /**
     * {@return the address the peer is bound to, in the same forms as {@link #localAddress()}}
     *
     * @throws IOException if the socket is closed
     */
    SocketAddress peerAddress() throws IOException;

    /**
     * {@return the peer's process, user and group ids, as the kernel recorded them when the connection was made}
     *
     * @throws UnsupportedOperationException on the JDK transport, which has no pid; its user and group names are
     *     {@code socket().getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED)}
     * @throws IOException if the credentials cannot be read
     */
    PeerCredentials peerCredentials() throws IOException;

    /** {@return options access to the socket} */
    SocketProxy socket();
}
