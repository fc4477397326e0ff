package io.easynet.internal.transport;

import io.easynet.transport.Ancillary;
import io.easynet.transport.AncillaryTruncatedException;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.Received;
import io.easynet.transport.SocketProxy;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.BrokenPipeSocketException;
import org.newsclub.net.unix.EasyNetAncillaryReceiveBuffer;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A connected junixsocket channel, non-blocking, whose reads and writes wait in the {@link ReadinessPoller}. It
 * behaves as the JDK transport's connection does where junixsocket differs: writes are serialized, reads end at once
 * after {@link #shutdownInput()}, and a write to a peer that has gone fails without closing the connection.
 *
 * <p>For that last point, writes go through a second channel on a duplicate of the socket's descriptor: junixsocket
 * closes a channel whose write fails with {@code EPIPE}, and closing the only descriptor would discard what the
 * peer sent before it went. junixsocket does not close the descriptor under a channel it was given, so the
 * duplicate stays open until {@link #close()} closes it.
 */
final class JunixsocketConnection implements UnixConnection {

    /**
     * The ancillary receive buffer given to junixsocket whatever size is configured: room for every descriptor Linux
     * passes in one message, so that the kernel never truncates them and leaves some installed but unreported. The
     * configured size is enforced on what arrived instead.
     */
    private static final int KERNEL_ANCILLARY_BUFFER_SIZE = Ancillary.MAX_RECEIVE_BUFFER_SIZE;

    /**
     * The most bytes handed to junixsocket at once: it copies a heap buffer through a cached direct buffer of up to
     * 1 MiB, and allocates a new one for every larger read or write.
     */
    private static final int MAX_CHUNK = 1024 * 1024;

    /** What junixsocket reports when the kernel truncated the ancillary data ({@code MSG_CTRUNC}). */
    private static final String TRUNCATED = "No buffer space available";

    /** Reads, shutdowns, addresses and credentials. */
    private final AFUNIXSocketChannel channel;

    /** Writes, on a duplicate descriptor of the same socket. */
    private final AFUNIXSocketChannel writer;

    /** The duplicate descriptor, which closing {@link #writer} leaves open. */
    private final FileDescriptor writerDescriptor;

    private final ReadinessPoller poller;

    private final ReentrantLock readLock = new ReentrantLock();

    private final ReentrantLock writeLock = new ReentrantLock();

    private volatile boolean inputShutdown;

    private volatile boolean outputShutdown;

    /** Set before the channels close, so that a read woken by the close reports it rather than end of stream. */
    private volatile boolean closing;

    JunixsocketConnection(AFUNIXSocketChannel channel) throws IOException {
        this.channel = channel;
        try {
            this.poller = ReadinessPoller.get();
            FileDescriptorCast duplicate = FileDescriptorCast.duplicating(channel.getFileDescriptor());
            this.writerDescriptor = duplicate.getFileDescriptor();
            this.writer = duplicate.as(AFUNIXSocketChannel.class);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try {
            // One open file description: the two channels share the non-blocking flag. Closing either only closes
            // its descriptor, as the JDK does: a shutdown would end the socket for the other one too.
            writer.setShutdownOnClose(false);
            channel.setShutdownOnClose(false);
            writer.configureBlocking(false);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        readLock.lock();
        try {
            int count = readWhenReady(buffer);
            // Only there if an earlier read asked for ancillary data; nobody claims them here.
            Descriptors.closeAll(channel.getReceivedFileDescriptors());
            return count;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads with room for {@link Ancillary#MAX_DESCRIPTORS} descriptors, so that the kernel never truncates them
     * (junixsocket would leave the ones that fit open without handing them out). Received descriptors are duplicated
     * and the originals closed, because junixsocket closes those it handed out when the connection closes, and the
     * caller's must outlive it.
     *
     * <p>More descriptors in one message than {@code ancillaryBufferSize} holds are all closed, and so is the
     * connection, with an {@link AncillaryTruncatedException}.
     */
    @Override
    public AncillaryRead readWithAncillary(ByteBuffer buffer, int ancillaryBufferSize) throws IOException {
        if (ancillaryBufferSize < 1 || ancillaryBufferSize > Ancillary.MAX_RECEIVE_BUFFER_SIZE) {
            throw new UnsupportedOperationException("junixsocket receives ancillary data into at most "
                    + Ancillary.MAX_RECEIVE_BUFFER_SIZE + " bytes (" + Ancillary.MAX_DESCRIPTORS + " descriptors, the "
                    + "most Linux passes in one message) per read; got an ancillary buffer size of "
                    + ancillaryBufferSize);
        }
        readLock.lock();
        try {
            ensureOpen();
            enlargeAncillaryReceiveBuffer();
            int count = readWhenReady(buffer);
            FileDescriptor[] received = channel.getReceivedFileDescriptors();
            if (received.length > Ancillary.descriptorsFitting(ancillaryBufferSize)) {
                throw refuse(received, ancillaryBufferSize);
            }
            return new AncillaryRead(count, adopt(received));
        } finally {
            readLock.unlock();
        }
    }

    private void enlargeAncillaryReceiveBuffer() {
        try {
            EasyNetAncillaryReceiveBuffer.set(channel, KERNEL_ANCILLARY_BUFFER_SIZE);
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("cannot receive file descriptors safely: EasyNet enlarges "
                    + "junixsocket's ancillary receive buffer (fixed at 256 bytes, whose truncation would leak "
                    + "descriptors) through org.newsclub.net.unix.EasyNetAncillaryReceiveBuffer, which works only "
                    + "with easynet-core and junixsocket-common on the class path, not the module path", e);
        }
    }

    /** Closes every descriptor of a message that brought more than the configured buffer holds, and the connection. */
    private AncillaryTruncatedException refuse(FileDescriptor[] received, int ancillaryBufferSize) {
        AncillaryTruncatedException refused = new AncillaryTruncatedException(ancillaryBufferSize,
                Ancillary.MAX_RECEIVE_BUFFER_SIZE, received.length);
        try {
            Descriptors.closeAll(received);
        } catch (IOException e) {
            refused.addSuppressed(e);
        }
        try {
            close();
        } catch (IOException e) {
            refused.addSuppressed(e);
        }
        return refused;
    }

    private int readWhenReady(ByteBuffer buffer) throws IOException {
        ensureOpen();
        while (true) {
            if (closing) {
                throw new AsynchronousCloseException();
            }
            if (inputShutdown) {
                return -1;
            }
            int count;
            ByteBuffer chunk = chunkOf(buffer);
            try {
                count = channel.read(chunk);
            } catch (SocketException e) {
                throw readFailure(e);
            }
            if (chunk != buffer && count > 0) {
                buffer.position(buffer.position() + count);
            }
            if (count != 0 || !buffer.hasRemaining()) {
                return count;
            }
            awaitReadable();
        }
    }

    private IOException readFailure(SocketException failure) {
        if (closing || !channel.isOpen()) {
            return (IOException) new AsynchronousCloseException().initCause(failure);
        }
        // The buffer holds every descriptor Linux passes; only other control messages could still overflow it.
        int bufferSize = channel.getAncillaryReceiveBufferSize();
        if (bufferSize > 0 && failure.getClass() == SocketException.class && TRUNCATED.equals(failure.getMessage())) {
            AncillaryTruncatedException truncated = new AncillaryTruncatedException(bufferSize,
                    Ancillary.MAX_RECEIVE_BUFFER_SIZE, failure);
            try {
                close();
            } catch (IOException e) {
                truncated.addSuppressed(e);
            }
            return truncated;
        }
        return failure;
    }

    /** Duplicates received descriptors into ones junixsocket does not track, and closes the originals. */
    private static FileDescriptors adopt(FileDescriptor[] received) throws IOException {
        if (received.length == 0) {
            return FileDescriptors.none();
        }
        FileDescriptor[] duplicates = new FileDescriptor[received.length];
        try {
            for (int i = 0; i < received.length; i++) {
                duplicates[i] = FileDescriptorCast.duplicating(received[i]).getFileDescriptor();
            }
        } catch (IOException e) {
            try {
                Descriptors.closeAll(Arrays.stream(duplicates).filter(Objects::nonNull)
                        .toArray(FileDescriptor[]::new));
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        } finally {
            Descriptors.closeAll(received);
        }
        return FileDescriptors.of(duplicates);
    }

    @Override
    public int write(ByteBuffer buffer) throws IOException {
        writeLock.lock();
        try {
            return writeWhenReady(buffer, null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public int writeWithAncillary(ByteBuffer buffer, Ancillary ancillary) throws IOException {
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException("ancillary data travels with bytes, and the buffer has none to write");
        }
        writeLock.lock();
        try {
            return writeWhenReady(buffer, ancillary.descriptors().toArray(FileDescriptor[]::new));
        } finally {
            // Never let a later write carry them after a failure.
            writer.setOutboundFileDescriptors((FileDescriptor[]) null);
            writeLock.unlock();
        }
    }

    /**
     * Writes once there is room. The descriptors are handed to junixsocket again before every attempt: it drops
     * them after a send that wrote nothing, and after one that wrote something they went with its first byte.
     */
    private int writeWhenReady(ByteBuffer buffer, FileDescriptor @Nullable [] descriptors) throws IOException {
        ensureOpen();
        while (true) {
            if (closing) {
                throw new AsynchronousCloseException();
            }
            if (outputShutdown) {
                throw new ClosedChannelException();
            }
            if (!writer.isOpen()) {
                throw new IOException("Broken pipe");
            }
            if (descriptors != null) {
                writer.setOutboundFileDescriptors(descriptors);
            }
            int count;
            int start = buffer.position();
            ByteBuffer chunk = chunkOf(buffer);
            try {
                count = writer.write(chunk);
            } catch (IOException e) {
                // junixsocket has already moved past the bytes it copied for sending; none were sent.
                buffer.position(start);
                throw writeFailure(e);
            }
            if (chunk != buffer) {
                buffer.position(start + count);
            }
            if (count != 0 || !buffer.hasRemaining()) {
                return count;
            }
            poller.await(writer, SelectionKey.OP_WRITE, this);
        }
    }

    private static ByteBuffer chunkOf(ByteBuffer buffer) {
        return buffer.isDirect() || buffer.remaining() <= MAX_CHUNK ? buffer
                : buffer.slice(buffer.position(), MAX_CHUNK);
    }

    private IOException writeFailure(IOException failure) {
        if (failure instanceof AsynchronousCloseException && failure.getCause() instanceof BrokenPipeSocketException
                && channel.isOpen()) {
            // As the JDK reports it; junixsocket closed the duplicate, the socket is still readable.
            return new IOException("Broken pipe", failure.getCause());
        }
        return failure;
    }

    private void awaitReadable() throws IOException {
        poller.await(channel, SelectionKey.OP_READ, this);
    }

    @Override
    public void shutdownInput() throws IOException {
        ensureOpen();
        inputShutdown = true;
        try {
            channel.shutdownInput();
        } finally {
            poller.wakeAll(channel);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        ensureOpen();
        outputShutdown = true;
        channel.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        ensureOpen();
        return JunixsocketTransport.toSocketAddress(channel.getLocalAddress());
    }

    @Override
    public SocketAddress peerAddress() throws IOException {
        ensureOpen();
        return JunixsocketTransport.toSocketAddress(channel.getRemoteAddress());
    }

    @Override
    public PeerCredentials peerCredentials() throws IOException {
        ensureOpen();
        AFUNIXSocketCredentials credentials = channel.getPeerCredentials();
        return new PeerCredentials(credentials.getPid(), (int) credentials.getUid(), (int) credentials.getGid());
    }

    @Override
    public SocketProxy socket() {
        return new ChannelSocketProxy(channel);
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try (writer) {
            channel.close();
        } finally {
            // Only once closed: a read or write that began to wait between a wake and the close would never be woken.
            poller.wakeAll(writer);
            poller.wakeAll(channel);
            if (writerDescriptor.valid()) {
                Descriptors.closeAll(writerDescriptor);
            }
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closing || !channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
