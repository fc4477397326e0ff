package io.easynet.server;

import io.easynet.internal.transport.PacketStream;
import io.easynet.internal.transport.PartialPacketWait;
import io.easynet.internal.transport.UnixConnection;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.ServerListener.Limit;
import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.Received;
import io.easynet.transport.SocketProxy;
import io.easynet.transport.TooManyDescriptorsException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: both the {@link StreamClient} and the {@link RequestStream} its handler sees. It
 * turns the transport's ways of saying "this connection is over" into {@link ClientDisconnectedException}.
 */
final class ServerClient<Req, Resp> implements StreamClient<Resp>, RequestStream<Req> {

    private static final Logger logger = LoggerFactory.getLogger(AsyncUnixStreamServer.class);

    private final String id;

    private final String description;

    private final SocketAddress serverAddress;

    private final PacketStream<Resp, Req> stream;

    /** Whether the server lets handlers pass descriptors: it has an ancillary buffer. */
    private final boolean ancillary;

    /** The peer's credentials, read at accept; {@code null} when the server does not read them. */
    private final @Nullable PeerCredentials credentials;

    private final AsyncUnixStreamServer<?, ?> server;

    private final ServerListeners listener;

    private final ClientAttributes attributes = new ClientAttributes();

    /** What {@link #receive()} waits as: the server's receive timeout. */
    private final RecvParams defaultParams;

    private final @Nullable Duration idleTimeout;

    private final long sendTimeoutNanos;

    private final @Nullable MinReceiveRate minReceiveRate;

    private final int maxQueuedSends;

    /** Sends in progress or waiting for the one in progress. */
    private final AtomicInteger sends = new AtomicInteger();

    /** Which limit made the server close the connection and what it logged, or {@code null} while none did. */
    private volatile @Nullable LimitClosure limitClosure;

    private final ReentrantLock closeCallbacksLock = new ReentrantLock();

    /** Guarded by {@link #closeCallbacksLock}, as is {@link #closeCallbacksRan}. */
    private final List<Runnable> closeCallbacks = new ArrayList<>();

    private boolean closeCallbacksRan;

    private volatile boolean closing;

    private volatile boolean serverStopping;

    private int receiveCalls;

    /**
     * Whether the handler has a request it has not finished (it has not asked for the next one yet), and since when
     * ({@link System#nanoTime()}); kept only when the server has listeners. Set by the receiving thread; taken by it
     * or by the client's thread as its session ends, which may be another one, so whoever takes it reports it.
     */
    private final AtomicBoolean requestOutstanding = new AtomicBoolean();

    private volatile long requestStart;

    /** The stream's receives, made once rather than as a new method reference on every request. */
    private final TimedReceive<Req> plainReceive;

    private final TimedReceive<Received<Req>> ancillaryReceive;

    ServerClient(long number, AsyncUnixStreamServer<?, ?> server, SocketAddress serverAddress,
            UnixConnection connection, StreamProtocol<Resp, Req> protocol, ServerOptions options,
            ServerListeners listener, @Nullable PeerCredentials credentials) {
        this.id = "client#" + number;
        this.description = id + " on " + serverAddress;
        this.server = server;
        this.serverAddress = serverAddress;
        this.listener = listener;
        this.credentials = credentials;
        this.defaultParams = new RecvParams(options.receiveTimeout());
        this.idleTimeout = options.idleTimeout();
        Duration sendTimeout = options.sendTimeout();
        this.sendTimeoutNanos = sendTimeout == null ? 0 : sendTimeout.toNanos();
        this.minReceiveRate = options.minReceiveRate();
        this.maxQueuedSends = options.maxQueuedSends();
        Integer ancillaryBufferSize = options.ancillaryBufferSize();
        this.ancillary = ancillaryBufferSize != null;
        this.stream = new PacketStream<>(connection, protocol, description, options.receiveBufferSize(),
                options.maxPacketSize(), ancillary ? ancillaryBufferSize : 0, options.maxDescriptors(),
                listener.isEmpty() ? PacketStream.TrafficListener.NONE : new Traffic());
        this.plainReceive = stream::receive;
        this.ancillaryReceive = stream::receiveWithAncillary;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Req receive() throws IOException, StreamProtocolParseException {
        return receive(defaultParams);
    }

    @Override
    public Req receive(RecvParams params) throws IOException, StreamProtocolParseException {
        return receive(params, plainReceive);
    }

    @Override
    public Received<Req> receiveWithAncillary() throws IOException, StreamProtocolParseException {
        return receiveWithAncillary(defaultParams);
    }

    @Override
    public Received<Req> receiveWithAncillary(RecvParams params) throws IOException, StreamProtocolParseException {
        requireAncillary("receive file descriptors from");
        return receive(params, ancillaryReceive);
    }

    private <T> T receive(RecvParams params, TimedReceive<T> receive) throws IOException,
            StreamProtocolParseException {
        receiveCalls++;
        completeRequest();
        Duration requested = params.timeout();
        Duration idle = idleTimeout;
        // On a tie the idle timeout decides: the client has then been silent for as long as the server allows.
        boolean idleDecides = idle != null && (requested == null || idle.compareTo(requested) <= 0);
        try {
            return receive.receive(idleDecides ? idle : requested);
        } catch (SocketTimeoutException e) {
            if (idleDecides) {
                throw closeAsIdle(idle, e);
            }
            listener.limitReached(server, this, Limit.RECEIVE_TIMEOUT);
            listener.receiveFailed(this, e);
            throw e;
        } catch (StreamProtocolParseException e) {
            if (e.reason() == StreamProtocolParseException.Reason.PACKET_TOO_LARGE) {
                listener.limitReached(server, this, Limit.PACKET_SIZE);
            }
            listener.receiveFailed(this, e);
            throw e;
        } catch (TooManyDescriptorsException e) {
            // the stream has closed the descriptors and the connection already
            limitClosure = new LimitClosure(Limit.DESCRIPTORS, Objects.requireNonNull(e.getMessage()));
            listener.limitReached(server, this, Limit.DESCRIPTORS);
            throw disconnected(null, e);
        } catch (EOFException e) {
            throw disconnected(serverStopping ? "server is shutting down; no more requests from " + description
                    : e.getMessage(), e);
        } catch (ClosedChannelException e) {
            throw disconnected("connection of " + description + " was closed", e);
        } catch (SocketException e) {
            throw disconnected("connection of " + description + " broke: " + e.getMessage(), e);
        }
    }

    /** The connection is over; if a limit closed it, the message says which. */
    private ClientDisconnectedException disconnected(@Nullable String message, IOException cause) {
        closing = true;
        LimitClosure closure = limitClosure;
        return new ClientDisconnectedException(closure != null ? closure.message() : message, cause);
    }

    @Override
    public void send(Resp response) throws IOException {
        enterSend();
        try {
            stream.send(response);
        } catch (IOException e) {
            throw sendFailed(e);
        } finally {
            sends.decrementAndGet();
        }
    }

    @Override
    public void sendWithAncillary(Resp response, Ancillary ancillary) throws IOException {
        requireAncillary("send file descriptors to");
        enterSend();
        try {
            stream.sendWithAncillary(response, ancillary);
        } catch (IOException e) {
            throw sendFailed(e);
        } finally {
            sends.decrementAndGet();
        }
    }

    /** Counts a send in, refusing it when {@link ServerOptions#maxQueuedSends()} already wait. */
    private void enterSend() throws SendQueueFullException {
        // as "waiting > limit": the limit may be Integer.MAX_VALUE
        if (sends.incrementAndGet() - 1 > maxQueuedSends) {
            sends.decrementAndGet();
            String message = description + " already has " + maxQueuedSends + " sends waiting behind the one in "
                    + "progress (maxQueuedSends); refused this one, nothing was sent";
            server.sendRefusalLog().log(message);
            listener.limitReached(server, this, Limit.SEND_QUEUE);
            throw new SendQueueFullException(message);
        }
    }

    private ClientDisconnectedException sendFailed(IOException failure) {
        // on a Unix socket a failed write means the peer is gone or the connection was closed
        return disconnected(failure.getMessage(), failure);
    }

    private void requireAncillary(String action) {
        if (!ancillary) {
            throw new IllegalStateException("cannot " + action + " " + description + ": the server has no "
                    + "ancillaryBufferSize, so descriptor passing is off (set ServerOptions.ancillaryBufferSize, such "
                    + "as Ancillary.bufferSizeFor(n) for n descriptors)");
        }
    }

    @Override
    public PeerCredentials peerCredentials() {
        if (credentials == null) {
            throw new UnsupportedOperationException("the server does not read the peer credentials of " + description
                    + ": set ServerOptions.peerCredentials(true), or an access policy or ancillary buffer, which run "
                    + "the server on junixsocket");
        }
        return credentials;
    }

    @Override
    public boolean isClosing() {
        return closing || serverStopping || !stream.connection().isOpen();
    }

    @Override
    public void close() {
        closing = true;
        closeQuietly();
    }

    @Override
    public void addCloseCallback(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        closeCallbacksLock.lock();
        try {
            if (!closeCallbacksRan) {
                closeCallbacks.add(callback);
                return;
            }
        } finally {
            closeCallbacksLock.unlock();
        }
        runCloseCallback(callback);
    }

    @Override
    public SocketAddress peerAddress() {
        try {
            return stream.connection().peerAddress();
        } catch (IOException e) {
            return UnixDomainSocketAddress.of("");
        }
    }

    /**
     * The server's address as configured: the socket's own may name the private directory it was bound in before it
     * was moved to its path.
     */
    @Override
    public SocketAddress localAddress() {
        return serverAddress;
    }

    @Override
    public ClientAttributes attributes() {
        return attributes;
    }

    @Override
    public SocketProxy socket() {
        return stream.connection().socket();
    }

    /** How many receives the handler has asked for, to tell a round that received from one that did not. */
    int receiveCalls() {
        return receiveCalls;
    }

    /**
     * Reports the request the handler was given as completed, if it has one: it asks for the next, or its session
     * ends.
     */
    void completeRequest() {
        if (requestOutstanding.getAndSet(false)) {
            listener.requestCompleted(this, System.nanoTime() - requestStart);
        }
    }

    /** Runs the close callbacks, last registered first; those registered from now on run at once. */
    void runCloseCallbacks() {
        List<Runnable> callbacks;
        closeCallbacksLock.lock();
        try {
            closeCallbacksRan = true;
            callbacks = List.copyOf(closeCallbacks);
            closeCallbacks.clear();
        } finally {
            closeCallbacksLock.unlock();
        }
        // outside the lock: a callback may register another, which then runs at once
        callbacks.reversed().forEach(this::runCloseCallback);
    }

    private void runCloseCallback(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable failure) {
            logger.error("close callback of {} failed", this, failure);
        }
    }

    /** Which limit made the server close the connection, or {@code null} if none did. */
    @Nullable LimitClosure limitClosure() {
        return limitClosure;
    }

    /**
     * Closes the connection if the client breaks a time limit at {@code now} ({@link System#nanoTime()}): a send
     * running longer than the send timeout, or a packet arriving slower than the minimum rate. Called by the
     * server's watchdog, on its thread; the threads blocked in the send or receive then throw
     * {@link ClientDisconnectedException} saying why.
     */
    void enforceTimeLimits(long now) {
        // not "closing": a client that ended its side of the stream may still be sent to, and must still read
        if (limitClosure != null || !stream.connection().isOpen()) {
            return;
        }
        long sendingSince = stream.sendingSince();
        if (sendTimeoutNanos > 0 && sendingSince != PacketStream.NOT_IN_PROGRESS
                && now - sendingSince > sendTimeoutNanos) {
            closeForLimit(Limit.SEND_TIMEOUT, description + " took more than "
                    + Duration.ofNanos(sendTimeoutNanos).toMillis() + " ms to read a response; closed it (send timeout)");
            return;
        }
        MinReceiveRate rate = minReceiveRate;
        PartialPacketWait slow = rate == null ? null : stream.partialPacketOverdue(now, rate::allowedNanos);
        if (slow != null) {
            closeForLimit(Limit.SLOW_PACKET, description + " sent " + slow.bytes() + " bytes of a packet and then "
                    + "too little for " + Duration.ofNanos(slow.waitedNanos()).toMillis() + " ms, slower than the "
                    + "minimum rate of " + rate + "; closed it (slow packet)");
        }
    }

    private void closeForLimit(Limit limit, String message) {
        limitClosure = new LimitClosure(limit, message);
        listener.limitReached(server, this, limit);
        close();
    }

    /** Whether the server has begun to stop, which is then why this connection ends. */
    boolean isServerStopping() {
        return serverStopping;
    }

    /** Whether the connection is known to be over, so no further round can receive anything. */
    boolean isDone() {
        return closing || !stream.connection().isOpen();
    }

    /**
     * Starts a graceful stop: a handler waiting for a request gets {@link ClientDisconnectedException} at once; a
     * handler busy with a request finishes it, and its next receive that finds no request already read throws.
     */
    void beginShutdown() {
        serverStopping = true;
        stream.stopReading();
    }

    private ClientDisconnectedException closeAsIdle(Duration idle, SocketTimeoutException timeout) {
        String message = description + " sent no request for " + idle.toMillis() + " ms; closed it (idle timeout)";
        closeForLimit(Limit.IDLE_TIMEOUT, message);
        return new ClientDisconnectedException(message, timeout);
    }

    /** Closes the connection, making a blocked receive or send throw. */
    void closeQuietly() {
        try {
            stream.close();
        } catch (IOException e) {
            // nothing more to do with a connection that fails to close
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** A limit that made the server close the connection, and the message that says so. */
    record LimitClosure(Limit limit, String message) {
    }

    /** A receive from the stream, with a timeout or none. */
    @FunctionalInterface
    private interface TimedReceive<T> {

        T receive(@Nullable Duration timeout) throws IOException, StreamProtocolParseException;
    }

    /** Reports the stream's traffic to the server's listeners as this client's. */
    private final class Traffic implements PacketStream.TrafficListener {

        @Override
        public void bytesReceived(int count) {
            listener.bytesReceived(ServerClient.this, count);
        }

        @Override
        public void packetReceived() {
            requestStart = System.nanoTime();
            requestOutstanding.set(true);
            listener.requestReceived(ServerClient.this);
        }

        @Override
        public void packetSent(int size) {
            listener.responseSent(ServerClient.this, size);
        }
    }
}
