package io.easynet.internal.transport;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.transport.Ancillary;
import io.easynet.transport.AncillaryTruncatedException;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;
import io.easynet.transport.StreamClosedException;
import io.easynet.transport.TooManyDescriptorsException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Packets over one connection: frames and writes sent packets, reads and decodes received ones. The server's
 * clients and {@code UnixStreamClient} are both built on it.
 *
 * <p>Sending is thread-safe and a packet's bytes are written under one lock, so frames never interleave when
 * several threads send. Receiving is for one thread at a time. A timed receive that runs out leaves its read
 * pending and the connection usable: the next receive picks the bytes up, so nothing is lost.
 *
 * <p>With an ancillary buffer, every read also receives the file descriptors the peer sent, so that none is
 * dropped unseen. Descriptors belong to the packet that holds the last byte of the read that brought them (the
 * kernel ends such a read with the bytes of the write that carried them): {@link #receiveWithAncillary} hands them
 * out with that packet, and {@link #receive} closes them. Whatever the receiver does not take is closed when it
 * receives again or the stream closes. Descriptors that came with a packet that is refused (a parse error, a
 * conversion failure, a packet too large, including the rest of it that is skipped) are closed with it.
 *
 * <p>The descriptors waiting for the packet they came with are bounded: one more than {@code maxDescriptors} closes
 * them all and the connection, and the receive throws {@link TooManyDescriptorsException}. Without a bound a peer
 * could pile up descriptors by never completing a packet.
 *
 * @param <Out> the type of the packets sent
 * @param <In> the type of the packets received
 */
public final class PacketStream<Out, In> implements Closeable {

    /** What {@link #sendingSince()} returns when no send is in progress. */
    public static final long NOT_IN_PROGRESS = Long.MIN_VALUE;

    private static final Logger logger = LoggerFactory.getLogger(PacketStream.class);

    /** Longer waits than this are treated as this: about 146 years, far enough from overflow to add to nanoTime. */
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE / 2);

    private static final int IDLE = 0;

    private static final int WAITING = 1;

    private static final int STOPPED = 2;

    /** How long a close waits for a timed read it left pending to end, to close descriptors that read received. */
    private static final Duration PENDING_READ_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    /** Packets in a row that must fit in one read before a grown receive buffer shrinks back. */
    private static final int SHRINK_AFTER_PACKETS = 4;

    /**
     * The smallest frame written from the packet's own array ({@link io.easynet.protocol.StreamSerializer#frameOf}):
     * below it, copying into the reused send buffer costs less than the buffer object that wraps the array.
     */
    private static final int WRITE_IN_PLACE_MIN = 1024;

    /** Bytes a decoder may need beyond the packet limit to see that a packet is too large (its framing). */
    private static final int FRAMING_SLACK = 64;

    private final UnixConnection connection;

    private final StreamProtocol<Out, In> protocol;

    private final StreamDecoder<In> decoder;

    private final String description;

    private final int initialBufferSize;

    private final int maxBufferSize;

    private final TrafficListener listener;

    private final ReentrantLock sendLock = new ReentrantLock();

    private final PacketBuffer sendBuffer;

    private final ReentrantLock receiveLock = new ReentrantLock();

    private final Consumer<In> sink = packet -> this.received = packet;

    /**
     * Sized by {@link #readSize}, so an idle stream holds little; grows to hold a packet larger than that. Direct when
     * {@link #directReceiveBuffer}, else on the heap.
     */
    private ByteBuffer receiveBuffer;

    private final AdaptiveReadSize readSize;

    /**
     * Whether the receive buffer is direct: for a decoder that accepts it, so that the JDK reads into it without
     * copying through a temporary direct buffer.
     */
    private final boolean directReceiveBuffer;

    /** How many bytes the read in progress asked for. */
    private int readAsked;

    private @Nullable In received;

    private @Nullable FutureTask<AncillaryRead> pendingRead;

    private int readStart;

    private boolean endOfStream;

    private boolean decoderClosed;

    /** Whether a read is in progress ({@code WAITING}), and whether reading was stopped gracefully. */
    private final AtomicInteger readState = new AtomicInteger(IDLE);

    /** Room for ancillary data in each read, in bytes; 0 to read without. */
    private final int ancillaryBufferSize;

    /** The most descriptors that may wait in {@link #arrivals} for the packet they came with. */
    private final int maxDescriptors;

    /** Bytes read from the connection so far: the stream offset just past the last byte read. */
    private long bytesRead;

    /** Descriptors read and not yet given to a packet, oldest first; with an ancillary buffer only. */
    private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>(2);

    /** The descriptors that came with the last read, until {@link #endRead} places them. */
    private FileDescriptors lastRead = FileDescriptors.none();

    /** The descriptors of the packet just decoded, until the receive that decoded it hands them out or closes them. */
    private FileDescriptors packetDescriptors = FileDescriptors.none();

    /** The descriptors handed out with the last packet: what the receiver left of them is closed at the next one. */
    private FileDescriptors handedOut = FileDescriptors.none();

    /** Whether descriptors were closed unclaimed already, so that only the first time is logged at WARN. */
    private boolean discardedBefore;

    /** When the send in progress began ({@link System#nanoTime()}), or {@link #NOT_IN_PROGRESS}. */
    private volatile long sendingSince = NOT_IN_PROGRESS;

    /** The stream offset where the packet being received begins: just past the last packet decoded or refused. */
    private long packetStartOffset;

    /** How long the stream has waited for the rest of the packet it is receiving. */
    private final PartialPacketClock partialPacketClock = new PartialPacketClock();

    /**
     * How many packets in a row fitted in one read: once a few have, a receive buffer grown for a larger packet
     * shrinks back, while a stream of large packets keeps its buffer instead of growing a new one for each.
     */
    private int packetsFittingOneRead;

    /**
     * Creates the stream over an open connection.
     *
     * @param description who is on the other end, for error messages (such as {@code client#3 on /run/app.sock})
     * @param receiveBufferSize the most one read asks for; reads ask for less while the peer sends less, so that an
     *     idle stream holds a small receive buffer
     * @param maxPacketSize the largest packet accepted; the receive buffer grows up to about this size
     * @param connection the connection the packets travel on
     * @param protocol how packets are framed and (de)serialized
     * @param listener counts the bytes received and the packets sent
     */
    public PacketStream(UnixConnection connection, StreamProtocol<Out, In> protocol, String description,
            int receiveBufferSize, int maxPacketSize, TrafficListener listener) {
        this(connection, protocol, description, receiveBufferSize, maxPacketSize, 0, listener);
    }

    /**
     * Creates the stream over an open connection, receiving file descriptors with every read.
     *
     * @param description who is on the other end, for error messages (such as {@code client#3 on /run/app.sock})
     * @param receiveBufferSize the most one read asks for; reads ask for less while the peer sends less, so that an
     *     idle stream holds a small receive buffer
     * @param maxPacketSize the largest packet accepted; the receive buffer grows up to about this size
     * @param ancillaryBufferSize room for ancillary data in each read, in bytes
     *     ({@link Ancillary#requireReceiveBufferSize checked}), or 0 to read without, so that descriptors the peer
     *     sends are discarded unseen and {@link #receiveWithAncillary} is refused
     * @param connection the connection the packets travel on
     * @param protocol how packets are framed and (de)serialized
     * @param listener counts the bytes received and the packets sent
     */
    public PacketStream(UnixConnection connection, StreamProtocol<Out, In> protocol, String description,
            int receiveBufferSize, int maxPacketSize, int ancillaryBufferSize, TrafficListener listener) {
        this(connection, protocol, description, receiveBufferSize, maxPacketSize, ancillaryBufferSize,
                Ancillary.MAX_DESCRIPTORS, listener);
    }

    /**
     * Creates the stream over an open connection, receiving file descriptors with every read and holding at most
     * {@code maxDescriptors} of them while they wait for the packet they came with.
     *
     * @param description who is on the other end, for error messages (such as {@code client#3 on /run/app.sock})
     * @param receiveBufferSize the most one read asks for; reads ask for less while the peer sends less, so that an
     *     idle stream holds a small receive buffer
     * @param maxPacketSize the largest packet accepted; the receive buffer grows up to about this size
     * @param ancillaryBufferSize room for ancillary data in each read, in bytes
     *     ({@link Ancillary#requireReceiveBufferSize checked}), or 0 to read without
     * @param maxDescriptors the most descriptors received and not yet handed out with their packet; one more closes
     *     them all and the connection ({@link TooManyDescriptorsException})
     * @param connection the connection the packets travel on
     * @param protocol how packets are framed and (de)serialized
     * @param listener counts the bytes received and the packets sent
     */
    public PacketStream(UnixConnection connection, StreamProtocol<Out, In> protocol, String description,
            int receiveBufferSize, int maxPacketSize, int ancillaryBufferSize, int maxDescriptors,
            TrafficListener listener) {
        if (maxDescriptors <= 0) {
            throw new IllegalArgumentException("maxDescriptors must be positive, got " + maxDescriptors);
        }
        this.maxDescriptors = maxDescriptors;
        this.ancillaryBufferSize = ancillaryBufferSize == 0 ? 0
                : Ancillary.requireReceiveBufferSize("ancillaryBufferSize", ancillaryBufferSize);
        this.connection = Objects.requireNonNull(connection, "connection");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.description = Objects.requireNonNull(description, "description");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (receiveBufferSize <= 0) {
            throw new IllegalArgumentException("receiveBufferSize must be positive, got " + receiveBufferSize);
        }
        this.decoder = protocol.newDecoder(maxPacketSize);
        this.initialBufferSize = receiveBufferSize;
        // In long arithmetic: a limit near Integer.MAX_VALUE ("no limit") must not overflow to a negative cap.
        this.maxBufferSize = (int) Math.max(receiveBufferSize,
                Math.min(Integer.MAX_VALUE - 8, (long) maxPacketSize + FRAMING_SLACK));
        this.readSize = new AdaptiveReadSize(receiveBufferSize);
        this.directReceiveBuffer = decoder.acceptsDirectBuffers();
        this.receiveBuffer = allocateReceiveBuffer(readSize.next()).limit(0);
        this.sendBuffer = new PacketBuffer(256);
    }

    /** {@return the connection the packets travel on} */
    public UnixConnection connection() {
        return connection;
    }

    /**
     * Sends one packet. Thread-safe.
     *
     * @param packet the packet to send
     * @throws IllegalArgumentException if the protocol cannot encode the packet; nothing was sent
     * @throws IOException naming the peer if writing failed; if part of the frame had been written the connection
     *     is closed, since the peer could not make sense of what follows, otherwise it stays open for receiving
     */
    public void send(Out packet) throws IOException {
        send(packet, null);
    }

    /**
     * Sends one packet with file descriptors, which travel with its first byte. Thread-safe. The descriptors need
     * only stay open until this returns: the peer gets its own copies.
     *
     * @param packet the packet to send
     * @param ancillary the file descriptors to send with it
     * @throws IllegalArgumentException if the protocol cannot encode the packet, or encodes it to no bytes, which
     *     could carry no descriptors; nothing was sent
     * @throws UnsupportedOperationException if the transport cannot send descriptors (the JDK's)
     * @throws IOException as {@link #send(Object)} does
     */
    public void sendWithAncillary(Out packet, Ancillary ancillary) throws IOException {
        send(packet, Objects.requireNonNull(ancillary, "ancillary"));
    }

    private void send(Out packet, @Nullable Ancillary ancillary) throws IOException {
        sendLock.lock();
        try {
            if (!connection.isOpen()) {
                throw new StreamClosedException(description, null);
            }
            ByteBuffer frame = frame(packet);
            if (ancillary != null && !frame.hasRemaining()) {
                throw new IllegalArgumentException("cannot send file descriptors to " + description + " with a packet "
                        + "that encodes to no bytes: descriptors travel with bytes");
            }
            sendingSince = System.nanoTime();
            try {
                if (ancillary != null) {
                    connection.writeWithAncillary(frame, ancillary);
                }
                while (frame.hasRemaining()) {
                    connection.write(frame);
                }
            } catch (IOException e) {
                if (frame.position() > 0) {
                    closeQuietly();
                }
                throw sendFailed(e);
            } finally {
                sendingSince = NOT_IN_PROGRESS;
            }
            listener.packetSent(frame.limit());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * The bytes to write for {@code packet}: the serializer's own array when the frame is one and large enough that
     * copying it would cost more than the wrapper, otherwise the packet encoded into the reused send buffer.
     */
    private ByteBuffer frame(Out packet) {
        byte[] whole = protocol.encoder().frameOf(packet);
        if (whole != null && whole.length >= WRITE_IN_PLACE_MIN) {
            return ByteBuffer.wrap(whole);
        }
        sendBuffer.reset(Math.max(256, initialBufferSize));
        protocol.encode(packet, sendBuffer);
        return sendBuffer.readView();
    }

    /**
     * {@return when the send in progress began to write ({@link System#nanoTime()}), or {@link #NOT_IN_PROGRESS}: for a
     * watchdog that closes the stream when a peer stops reading} Time waiting for another thread's send is not
     * included.
     */
    public long sendingSince() {
        return sendingSince;
    }

    /**
     * {@return the packet being received, if the stream is waiting for its rest and has waited longer than {@code
     * allowedNanos} gives for the bytes of it that arrived ({@code now} is {@link System#nanoTime()}); else {@code
     * null}} For a watchdog that closes the stream when a packet trickles in. Only time spent waiting for the peer
     * counts, also while a timed receive that ran out leaves its read pending; not the time the receiver spends
     * elsewhere once bytes have arrived.
     *
     * @param now the current {@link System#nanoTime()}
     * @param allowedNanos how long a packet may take, given how many bytes of it arrived
     */
    public @Nullable PartialPacketWait partialPacketOverdue(long now, LongUnaryOperator allowedNanos) {
        return partialPacketClock.overdue(now, allowedNanos);
    }

    /**
     * Shuts the write side down after any packet being sent, so the peer reads end of stream.
     *
     * @throws IOException if the connection failed
     */
    public void sendEof() throws IOException {
        sendLock.lock();
        try {
            connection.shutdownOutput();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Receives the next packet, blocking until it is complete.
     *
     * @param timeout how long to wait for it, or {@code null} to wait as long as it takes
     * @return the packet
     * @throws StreamProtocolParseException if the next packet is invalid; the one after it can still be received
     * @throws SocketTimeoutException if the timeout passed first; nothing is lost, the next receive goes on
     * @throws EOFException at the end of the stream
     * @throws IllegalStateException if another thread is receiving on this stream
     */
    public In receive(@Nullable Duration timeout) throws IOException, StreamProtocolParseException {
        lockReceive();
        try {
            In packet = next(timeout);
            discard(takePacketDescriptors(), "a packet received without ancillary data");
            return packet;
        } finally {
            unlockReceive();
        }
    }

    /**
     * Receives the next packet like {@link #receive(Duration)}, with the file descriptors that arrived with its
     * bytes. Those the caller does not take are closed when it receives again or the stream closes.
     *
     * @param timeout the longest to wait, or {@code null} to wait as long as it takes
     * @return the packet and the descriptors that came with it
     * @throws IllegalStateException if the stream has no ancillary buffer, or another thread is receiving
     * @throws AncillaryTruncatedException if more descriptors arrived than the buffer holds; the connection is then
     *     closed (also thrown by {@link #receive(Duration)})
     * @throws TooManyDescriptorsException if more descriptors wait for their packet than {@code maxDescriptors}; they
     *     and the connection are then closed (also thrown by {@link #receive(Duration)})
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     */
    public Received<In> receiveWithAncillary(@Nullable Duration timeout)
            throws IOException, StreamProtocolParseException {
        if (ancillaryBufferSize == 0) {
            throw new IllegalStateException("the stream from " + description + " has no ancillary buffer, so it "
                    + "receives no file descriptors");
        }
        lockReceive();
        try {
            In packet = next(timeout);
            FileDescriptors descriptors = takePacketDescriptors();
            handedOut = descriptors;
            return new Received<>(packet, descriptors);
        } finally {
            unlockReceive();
        }
    }

    private void lockReceive() {
        if (!receiveLock.tryLock()) {
            throw new IllegalStateException("another thread is already receiving from " + description);
        }
        // the receiver has had its chance to take the last packet's descriptors
        closeDescriptors(handedOut);
        handedOut = FileDescriptors.none();
    }

    private void unlockReceive() {
        try {
            if (!connection.isOpen()) {
                closeDecoder();
                closeArrivals();
            }
        } finally {
            receiveLock.unlock();
        }
    }

    private In next(@Nullable Duration timeout) throws IOException, StreamProtocolParseException {
        if (decoderClosed) {
            throw new StreamClosedException(description, null);
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + saturatedNanos(timeout);
        while (true) {
            if (pendingRead == null) {
                if (decode()) {
                    In packet = received;
                    received = null;
                    listener.packetReceived();
                    return packet;
                }
                if (endOfStream) {
                    throw endOfStream();
                }
                if (!connection.isOpen()) {
                    throw new StreamClosedException(description, null);
                }
                if (!readState.compareAndSet(IDLE, WAITING)) {
                    throw readingStopped();
                }
                beginRead();
            }
            int count;
            notePartialPacket();
            try {
                count = awaitRead(timeout, deadline);
            } catch (InterruptedIOException e) {
                // a timed-out or interrupted wait: the read is still pending and owns the buffer, and the packet's
                // clock runs on until it brings bytes
                throw e;
            } catch (ClosedChannelException e) {
                abortRead();
                throw new StreamClosedException(description, e);
            } catch (IOException | RuntimeException e) {
                abortRead();
                throw e;
            }
            partialPacketClock.waitEnds();
            endRead(count);
        }
    }

    /**
     * Decodes the next packet from the buffer, and gives it the descriptors that arrived with its bytes; those that
     * came with a bad packet, or with the rest of a refused one that the decoder skips, are closed with it.
     */
    private boolean decode() throws StreamProtocolParseException {
        while (true) {
            boolean wasSkipping = decoder.isSkipping();
            boolean decoded;
            try {
                decoded = decoder.decode(receiveBuffer, sink);
            } catch (StreamProtocolParseException e) {
                packetEnded();
                discard(descriptorsUpTo(consumedOffset()), "a bad packet");
                throw e;
            }
            if (decoded) {
                packetEnded();
                if (!arrivals.isEmpty()) {
                    packetDescriptors = descriptorsUpTo(consumedOffset());
                }
                return true;
            }
            if (!wasSkipping) {
                return false;
            }
            // what the decoder skipped was the refused packet's, up to its end if the skip ended
            discard(descriptorsUpTo(consumedOffset()), "a packet refused as too large");
            if (decoder.isSkipping()) {
                return false;
            }
        }
    }

    /** Starts the clock on a packet the receive is about to wait for the rest of, unless it runs already. */
    private void notePartialPacket() {
        long bytes = bytesRead - packetStartOffset;
        if (bytes > 0) {
            partialPacketClock.waitBegins(bytes, System.nanoTime());
        }
    }

    /** A packet was decoded or refused: the next one begins where the decoder stopped. */
    private void packetEnded() {
        long end = consumedOffset();
        if (end - packetStartOffset <= readSize.next()) {
            packetsFittingOneRead = Math.min(packetsFittingOneRead + 1, SHRINK_AFTER_PACKETS);
        } else {
            packetsFittingOneRead = 0;
        }
        packetStartOffset = end;
        partialPacketClock.packetEnded();
    }

    /** The stream offset just past the bytes the decoder has consumed. */
    private long consumedOffset() {
        return bytesRead - receiveBuffer.remaining();
    }

    /** The descriptors whose last byte lies before {@code offset}, as one set; removed from the arrivals. */
    private FileDescriptors descriptorsUpTo(long offset) {
        Arrival first = arrivals.peekFirst();
        if (first == null || first.lastByte() >= offset) {
            return FileDescriptors.none();
        }
        arrivals.removeFirst();
        Arrival next = arrivals.peekFirst();
        if (next == null || next.lastByte() >= offset) {
            return first.descriptors();
        }
        // several writes with descriptors went into one packet (a peer that is not EasyNet): merge them in order
        List<FileDescriptor> merged = new ArrayList<>();
        take(first.descriptors(), merged);
        while (next != null && next.lastByte() < offset) {
            take(arrivals.removeFirst().descriptors(), merged);
            next = arrivals.peekFirst();
        }
        return FileDescriptors.of(merged.toArray(FileDescriptor[]::new));
    }

    private static void take(FileDescriptors descriptors, List<FileDescriptor> into) {
        for (int i = 0; i < descriptors.size(); i++) {
            into.add(descriptors.take(i));
        }
    }

    private FileDescriptors takePacketDescriptors() {
        FileDescriptors descriptors = packetDescriptors;
        packetDescriptors = FileDescriptors.none();
        return descriptors;
    }

    /** Closes descriptors nobody will take, saying so: at WARN the first time on this stream, then at DEBUG. */
    private void discard(FileDescriptors descriptors, String cameWith) {
        if (descriptors.isEmpty()) {
            return;
        }
        logger.atLevel(discardedBefore ? Level.DEBUG : Level.WARN).log("{} sent {} file descriptor(s) with {}; "
                + "closed them", description, descriptors.size(), cameWith);
        discardedBefore = true;
        closeDescriptors(descriptors);
    }

    private void closeDescriptors(FileDescriptors descriptors) {
        if (descriptors.isEmpty()) {
            return;
        }
        try {
            descriptors.close();
        } catch (IOException e) {
            logger.warn("Closing file descriptors {} sent failed", description, e);
        }
    }

    /**
     * Closes the descriptors that arrived and were not handed out: those of packets not yet complete, of a decoded
     * packet whose receive failed, and of a timed read left pending (which has ended, the connection being closed).
     */
    private void closeArrivals() {
        closeDescriptors(takePacketDescriptors());
        closeDescriptors(lastRead);
        lastRead = FileDescriptors.none();
        while (!arrivals.isEmpty()) {
            closeDescriptors(arrivals.removeFirst().descriptors());
        }
        FutureTask<AncillaryRead> read = pendingRead;
        if (read != null && ancillaryBufferSize != 0) {
            pendingRead = null;
            try {
                closeDescriptors(read.get(PENDING_READ_CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS).descriptors());
            } catch (ExecutionException | TimeoutException e) {
                // the read failed, or is stuck past the close: it received no descriptors we could close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops reading gracefully: a receive blocked waiting for bytes ends at once, later receives return the packets
     * already buffered and then throw {@link EOFException}, and the peer can write no more. Used by a server's
     * graceful stop, so that a handler busy with a request finishes it while idle ones end.
     */
    public void stopReading() {
        if (readState.getAndSet(STOPPED) == WAITING) {
            try {
                connection.shutdownInput();
            } catch (IOException e) {
                // the connection is already closed: the blocked read has ended anyway
            }
        }
    }

    /** {@return whether the peer has ended its side of the stream and every complete packet has been received} */
    public boolean isAtEndOfStream() {
        return endOfStream;
    }

    /**
     * Closes the connection; blocked reads and writes on other threads throw. Idempotent. The decoder's native
     * resources and the received descriptors nobody took are released here, or by the receive in progress on another
     * thread as it ends.
     */
    @Override
    public void close() throws IOException {
        connection.close();
        if (receiveLock.tryLock()) {
            try {
                closeDecoder();
                closeArrivals();
                closeDescriptors(handedOut);
            } finally {
                receiveLock.unlock();
            }
        }
    }

    /** Closes the decoder once; called with the receive lock held, so never while it decodes. */
    private void closeDecoder() {
        if (!decoderClosed) {
            decoderClosed = true;
            decoder.close();
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (IOException e) {
            // the write error is what the caller needs to see
        }
    }

    private EOFException endOfStream() {
        if (readState.get() == STOPPED) {
            return readingStopped();
        }
        int leftover = receiveBuffer.remaining();
        return new EOFException(leftover == 0 ? description + " ended the stream"
                : description + " ended the stream inside a packet; " + leftover + " bytes of it are lost");
    }

    private EOFException readingStopped() {
        return new EOFException(description + " is no longer read from: reading was stopped");
    }

    /**
     * Switches the buffer to writing after the unread bytes, compacting or growing it when it is full. When it holds
     * no unread bytes it is replaced by one the size of the next read, so that it shrinks back after a large packet
     * and while the peer is quiet.
     */
    private void beginRead() {
        ByteBuffer buffer = receiveBuffer;
        int ask = readSize.next();
        if (!buffer.hasRemaining()) {
            if (buffer.capacity() < ask
                    || buffer.capacity() > ask && packetsFittingOneRead >= SHRINK_AFTER_PACKETS) {
                buffer = allocateReceiveBuffer(ask);
                receiveBuffer = buffer;
            }
            buffer.clear().limit(0);
        }
        if (buffer.limit() == buffer.capacity()) {
            // a buffer smaller than the read size grows rather than compacts, or a busy stream would read in sips
            if (buffer.position() > 0 && buffer.capacity() >= ask) {
                buffer.compact().flip();
            } else if (buffer.capacity() < maxBufferSize) {
                int capacity = (int) Math.min(maxBufferSize, Math.max(buffer.capacity() * 2L, ask));
                ByteBuffer grown = allocateReceiveBuffer(capacity);
                grown.put(buffer).flip();
                receiveBuffer = grown;
                buffer = grown;
            } else {
                throw new IllegalStateException("decoder of " + description + " buffered " + buffer.capacity()
                        + " bytes without deciding on a packet; it must enforce its packet limit");
            }
        }
        readStart = buffer.position();
        int readEnd = (int) Math.min(buffer.capacity(), (long) buffer.limit() + ask);
        readAsked = readEnd - buffer.limit();
        buffer.position(buffer.limit()).limit(readEnd);
    }

    private ByteBuffer allocateReceiveBuffer(int capacity) {
        return directReceiveBuffer ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private void endRead(int count) throws TooManyDescriptorsException {
        readState.compareAndSet(WAITING, IDLE);
        if (count < 0) {
            endOfStream = true;
        } else {
            readSize.record(readAsked, count);
            listener.bytesReceived(count);
        }
        FileDescriptors descriptors = lastRead;
        boolean tooMany = false;
        if (!descriptors.isEmpty()) {
            lastRead = FileDescriptors.none();
            if (count > 0) {
                arrivals.addLast(new Arrival(bytesRead + count - 1, descriptors));
                tooMany = heldDescriptors() > maxDescriptors;
            } else {
                // a stream socket carries descriptors with bytes only; never seen, but nothing must leak
                discard(descriptors, "no bytes");
            }
        }
        bytesRead += Math.max(0, count);
        receiveBuffer.limit(receiveBuffer.position()).position(readStart);
        if (tooMany) {
            throw refuseDescriptors();
        }
    }

    /** How many descriptors wait for the packet they came with. */
    private int heldDescriptors() {
        int held = 0;
        for (Arrival arrival : arrivals) {
            held += arrival.descriptors().size();
        }
        return held;
    }

    /** Closes the descriptors that wait for their packet, and the connection, as one more than allowed arrived. */
    private TooManyDescriptorsException refuseDescriptors() {
        TooManyDescriptorsException refused = new TooManyDescriptorsException(description, heldDescriptors(),
                maxDescriptors);
        closeArrivals();
        try {
            connection.close();
        } catch (IOException e) {
            refused.addSuppressed(e);
        }
        return refused;
    }

    /** Puts the buffer back to reading after a read that failed, so the unread bytes stay as they were. */
    private void abortRead() {
        partialPacketClock.waitEnds();
        readState.compareAndSet(WAITING, IDLE);
        receiveBuffer.limit(receiveBuffer.position()).position(readStart);
    }

    /** The capacity of the receive buffer now: what the stream holds for receiving, whatever is buffered. */
    int receiveBufferCapacity() {
        return receiveBuffer.capacity();
    }

    /** Whether the receive buffer is direct now. */
    boolean receiveBufferIsDirect() {
        return receiveBuffer.isDirect();
    }

    private IOException sendFailed(IOException failure) {
        if (failure instanceof ClosedChannelException) {
            return new StreamClosedException(description, failure);
        }
        return new IOException("cannot send to " + description + ": " + failure.getMessage(), failure);
    }

    private static long saturatedNanos(Duration timeout) {
        // Durations beyond ~292 years do not fit in nanoseconds; they mean "forever" anyway.
        return timeout.compareTo(FOREVER) >= 0 ? FOREVER.toNanos() : timeout.toNanos();
    }

    private int awaitRead(@Nullable Duration timeout, long deadline) throws IOException {
        if (timeout == null && pendingRead == null) {
            if (ancillaryBufferSize == 0) {
                return connection.read(receiveBuffer);
            }
            AncillaryRead read = connection.readWithAncillary(receiveBuffer, ancillaryBufferSize);
            lastRead = read.descriptors();
            return read.bytesRead();
        }
        FutureTask<AncillaryRead> read = pendingRead;
        if (read == null) {
            ByteBuffer buffer = receiveBuffer;
            read = new FutureTask<>(() -> {
                AncillaryRead done = ancillaryBufferSize == 0
                        ? new AncillaryRead(connection.read(buffer), FileDescriptors.none())
                        : connection.readWithAncillary(buffer, ancillaryBufferSize);
                // the receiver may be busy elsewhere after its timeout: the peer is not to blame from now on
                partialPacketClock.waitEnds();
                return done;
            });
            Thread.ofVirtual().name("easynet-timed-read").start(read);
            pendingRead = read;
        }
        try {
            AncillaryRead done = timeout == null ? read.get()
                    : read.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            pendingRead = null;
            lastRead = done.descriptors();
            return done.bytesRead();
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no packet from " + description + " within " + timeout.toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving from " + description);
        } catch (ExecutionException e) {
            pendingRead = null;
            throw TransportErrors.rethrow(e.getCause());
        }
    }

    /** Descriptors that arrived with a read whose last byte was at stream offset {@code lastByte}. */
    private record Arrival(long lastByte, FileDescriptors descriptors) {
    }

    /** Callbacks on the traffic of one stream, for metrics; called on the sending or receiving thread. */
    public interface TrafficListener {

        /** Ignores everything. */
        TrafficListener NONE = new TrafficListener() {
        };

        /**
         * A read returned {@code count} bytes.
         *
         * @param count how many bytes were read
         */
        default void bytesReceived(int count) {
        }

        /** A complete packet was decoded. */
        default void packetReceived() {
        }

        /**
         * A packet of {@code size} bytes, framing included, was written.
         *
         * @param size the packet's size in bytes, framing included
         */
        default void packetSent(int size) {
        }
    }
}
