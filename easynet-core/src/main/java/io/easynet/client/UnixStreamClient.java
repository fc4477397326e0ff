package io.easynet.client;

import io.easynet.internal.transport.PacketStream;
import io.easynet.internal.transport.UnixConnection;
import io.easynet.internal.transport.UnixTransport;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.Received;
import io.easynet.transport.SocketProxy;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A blocking client of a Unix stream server, as EasyNetwork's {@code UnixStreamClient}. Blocking calls park a
 * virtual thread cheaply, so one client per virtual thread is the intended use.
 *
 * <pre>{@code
 * try (var client = UnixStreamClient.connect(Path.of("/run/app/app.sock"), StreamProtocol.of(JsonSerializer.tree()))) {
 *     client.send(request);
 *     JsonNode response = client.receive();
 * }
 * }</pre>
 *
 * <p>Sending is thread-safe; receiving is for one thread at a time. With
 * {@link ClientOptions#ancillaryBufferSize()} or {@link ClientOptions#peerCredentials()} set, or on an abstract
 * address, the client runs on junixsocket and passes file descriptors or reads the server's credentials.
 *
 * @param <Req> the type of the packets sent to the server
 * @param <Resp> the type of the packets received from it
 */
public final class UnixStreamClient<Req, Resp> implements Closeable {

    private final SocketAddress server;

    private final PacketStream<Req, Resp> stream;

    private final boolean ancillary;

    private final @Nullable PeerCredentials credentials;

    private UnixStreamClient(SocketAddress server, UnixConnection connection, StreamProtocol<Req, Resp> protocol,
            ClientOptions options, boolean readCredentials) throws IOException {
        this.server = server;
        Integer ancillaryBufferSize = options.ancillaryBufferSize();
        this.ancillary = ancillaryBufferSize != null;
        this.stream = new PacketStream<>(connection, protocol, "server on " + server, options.receiveBufferSize(),
                options.maxPacketSize(), ancillary ? ancillaryBufferSize : 0, PacketStream.TrafficListener.NONE);
        try {
            this.credentials = readCredentials ? connection.peerCredentials() : null;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Connects to the server at {@code path} with the {@link ClientOptions#defaults() default options}.
     *
     * @param <Req> the type of the packets sent to the server
     * @param <Resp> the type of the packets received from it
     * @param path the path of the server's socket file
     * @param protocol how packets are framed and (de)serialized
     * @return the connected client
     * @throws IOException naming the path if nobody listens there or the file does not exist
     */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(Path path, StreamProtocol<Req, Resp> protocol)
            throws IOException {
        return connect(path, protocol, ClientOptions.defaults());
    }

    /**
     * Connects to the server at {@code path}.
     *
     * @param <Req> the type of the packets sent to the server
     * @param <Resp> the type of the packets received from it
     * @param path the path of the server's socket file
     * @param protocol how packets are framed and (de)serialized
     * @param options the client's settings
     * @return the connected client
     * @throws java.net.SocketTimeoutException if the server's backlog stays full for the connect timeout
     * @throws IOException naming the path if nobody listens there or the file does not exist
     */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(Path path, StreamProtocol<Req, Resp> protocol,
            ClientOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        UnixTransport transport = options.needJunixsocket() ? UnixTransport.junixsocket() : UnixTransport.jdk();
        UnixConnection connection = transport.connect(path, options.localPath(), options.connectTimeout());
        return new UnixStreamClient<>(UnixDomainSocketAddress.of(path), connection, protocol, options,
                options.needJunixsocket());
    }

    /**
     * Connects to the server on an abstract address with the {@link ClientOptions#defaults() default options}.
     *
     * @param <Req> the type of the packets sent to the server
     * @param <Resp> the type of the packets received from it
     * @param address the server's abstract address
     * @param protocol how packets are framed and (de)serialized
     * @return the connected client
     * @throws IOException naming the address if nobody listens there
     */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(AbstractUnixAddress address,
            StreamProtocol<Req, Resp> protocol) throws IOException {
        return connect(address, protocol, ClientOptions.defaults());
    }

    /**
     * Connects to the server on a name in Linux's abstract namespace, with junixsocket; the server's credentials
     * are read at connect.
     *
     * @param <Req> the type of the packets sent to the server
     * @param <Resp> the type of the packets received from it
     * @param address the server's abstract address
     * @param protocol how packets are framed and (de)serialized
     * @param options the client's settings
     * @return the connected client
     * @throws java.net.SocketTimeoutException if the server's backlog stays full for the connect timeout
     * @throws IOException naming the address if nobody listens there
     * @throws IllegalArgumentException if the options have a local path, which junixsocket cannot bind
     */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(AbstractUnixAddress address,
            StreamProtocol<Req, Resp> protocol, ClientOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        if (options.localPath() != null) {
            throw new IllegalArgumentException("localPath " + options.localPath() + " cannot be used to connect to "
                    + "the abstract address " + address + ": junixsocket, which connects there, cannot bind a client "
                    + "socket to a path");
        }
        UnixConnection connection = UnixTransport.junixsocket().connect(address, options.connectTimeout());
        return new UnixStreamClient<>(address, connection, protocol, options, true);
    }

    /**
     * {@return the path of the server's socket}
     *
     * @throws IllegalStateException if the client connected to an abstract address, which has no path
     */
    public Path path() {
        if (server instanceof UnixDomainSocketAddress file) {
            return file.getPath();
        }
        throw new IllegalStateException("the client of " + server + " connected to an abstract address, which has "
                + "no path; see address()");
    }

    /**
     * {@return the server's address as connected to: a {@link UnixDomainSocketAddress} or an {@link
     * AbstractUnixAddress}}
     */
    public SocketAddress address() {
        return server;
    }

    /**
     * Sends one packet. Thread-safe.
     *
     * @param packet the packet to send
     * @throws IllegalArgumentException if the protocol cannot encode the packet; nothing was sent
     * @throws IOException if the connection failed or is closed
     */
    public void send(Req packet) throws IOException {
        stream.send(packet);
    }

    /**
     * Sends one packet with file descriptors ({@code SCM_RIGHTS}), which travel with its first byte. Thread-safe.
     * The descriptors need only stay open until this returns: the server gets its own copies.
     *
     * @param packet the packet to send
     * @param ancillary the file descriptors to send with it
     * @throws IllegalStateException if the client has no {@link ClientOptions#ancillaryBufferSize()}
     * @throws IllegalArgumentException if the protocol cannot encode the packet or encodes it to no bytes
     * @throws IOException if the connection failed or is closed
     */
    public void sendWithAncillary(Req packet, Ancillary ancillary) throws IOException {
        requireAncillary("send file descriptors to");
        stream.sendWithAncillary(packet, ancillary);
    }

    /**
     * Receives the next packet, waiting as long as it takes.
     *
     * @return the packet
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     * @throws java.io.EOFException if the server closed the connection
     */
    public Resp receive() throws IOException, StreamProtocolParseException {
        return stream.receive(null);
    }

    /**
     * Receives the next packet, waiting at most {@code timeout}.
     *
     * @param timeout the longest to wait
     * @return the packet
     * @throws java.net.SocketTimeoutException if the timeout passed first; nothing is lost
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     */
    public Resp receive(Duration timeout) throws IOException, StreamProtocolParseException {
        return stream.receive(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Receives the next packet with the file descriptors that arrived with its bytes, waiting as long as it takes.
     * Take the ones you use; the rest are closed at the next receive or at close. A plain {@link #receive()} closes
     * the descriptors that came with its packet.
     *
     * @return the packet and the descriptors that came with it
     * @throws IllegalStateException if the client has no {@link ClientOptions#ancillaryBufferSize()}
     * @throws io.easynet.transport.AncillaryTruncatedException if the server sent more descriptors at once than the
     *     buffer holds; their bytes are lost and the connection is closed
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     */
    public Received<Resp> receiveWithAncillary() throws IOException, StreamProtocolParseException {
        requireAncillary("receive file descriptors from");
        return stream.receiveWithAncillary(null);
    }

    /**
     * Like {@link #receiveWithAncillary()}, waiting at most {@code timeout}.
     *
     * @param timeout the longest to wait
     * @return the packet and the descriptors that came with it
     * @throws java.net.SocketTimeoutException if the timeout passed first; nothing is lost
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     */
    public Received<Resp> receiveWithAncillary(Duration timeout) throws IOException, StreamProtocolParseException {
        requireAncillary("receive file descriptors from");
        return stream.receiveWithAncillary(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * {@return the server's process, user and group ids, as the kernel recorded them when it listened ({@code
     * SO_PEERCRED}); read once at connect}
     *
     * @throws UnsupportedOperationException unless {@link ClientOptions#peerCredentials()} or
     *     {@link ClientOptions#ancillaryBufferSize()} is set, or the client connected to an abstract address
     */
    public PeerCredentials peerCredentials() {
        if (credentials == null) {
            throw new UnsupportedOperationException("the credentials of the server on " + server + " were not read: "
                    + "connect with ClientOptions.withPeerCredentials(true)");
        }
        return credentials;
    }

    private void requireAncillary(String action) {
        if (!ancillary) {
            throw new IllegalStateException("cannot " + action + " the server on " + server + ": the client has no "
                    + "ancillaryBufferSize, so descriptor passing is off (connect with "
                    + "ClientOptions.withAncillaryBufferSize, such as Ancillary.bufferSizeFor(n) for n descriptors)");
        }
    }

    /**
     * Tells the server that nothing more will be sent; receiving still works.
     *
     * @throws IOException if the connection failed
     */
    public void sendEof() throws IOException {
        stream.sendEof();
    }

    /** {@return whether the client has been closed} */
    public boolean isClosed() {
        return !stream.connection().isOpen();
    }

    /**
     * {@return the address this end is bound to; unnamed unless a local path was set}
     *
     * @throws IOException if the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return stream.connection().localAddress();
    }

    /**
     * {@return the server's address}
     *
     * @throws IOException if the socket is closed
     */
    public SocketAddress peerAddress() throws IOException {
        return stream.connection().peerAddress();
    }

    /** {@return options access to the socket} */
    public SocketProxy socket() {
        return stream.connection().socket();
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
