package io.easynet.benchmarks.path;

import io.easynet.internal.transport.AncillaryRead;
import io.easynet.internal.transport.UnixConnection;
import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection without a socket: every read delivers the next bytes of one request frame, over and over, as a
 * closed-loop client would send it, and writes only count their bytes. It lets a benchmark run a
 * {@code PacketStream} as a server does, with no system call to blur what the stream itself costs.
 */
final class InMemoryConnection implements UnixConnection {

    private final byte[] request;

    private int offset;

    private long bytesWritten;

    /** A connection whose peer sends {@code request} again each time it has been read in full. */
    InMemoryConnection(byte[] request) {
        this.request = request.clone();
    }

    @Override
    public int read(ByteBuffer buffer) {
        // one frame per read at most, as the kernel hands a server one request of a closed-loop client at a time
        int count = Math.min(buffer.remaining(), request.length - offset);
        buffer.put(request, offset, count);
        offset = (offset + count) % request.length;
        return count;
    }

    @Override
    public AncillaryRead readWithAncillary(ByteBuffer buffer, int ancillaryBufferSize) {
        throw new UnsupportedOperationException("no descriptors in memory");
    }

    @Override
    public int write(ByteBuffer buffer) {
        int count = buffer.remaining();
        buffer.position(buffer.limit());
        bytesWritten += count;
        return count;
    }

    @Override
    public int writeWithAncillary(ByteBuffer buffer, Ancillary ancillary) {
        throw new UnsupportedOperationException("no descriptors in memory");
    }

    /** How many bytes were written so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void shutdownInput() {
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public SocketAddress localAddress() {
        return UnixDomainSocketAddress.of("");
    }

    @Override
    public SocketAddress peerAddress() {
        return UnixDomainSocketAddress.of("");
    }

    @Override
    public PeerCredentials peerCredentials() {
        throw new UnsupportedOperationException("no peer in memory");
    }

    @Override
    public SocketProxy socket() {
        throw new UnsupportedOperationException("no socket in memory");
    }
}
