package io.easynet.client;

import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.transport.PacketStream;
import io.easynet.transport.SocketProxy;
import io.easynet.transport.UnixConnection;
import io.easynet.transport.UnixTransport;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

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
 * <p>Sending is thread-safe; receiving is for one thread at a time.
 *
 * @param <Req> the type of the packets sent to the server
 * @param <Resp> the type of the packets received from it
 */
public final class UnixStreamClient<Req, Resp> implements Closeable {

    private final Path path;

    private final PacketStream<Req, Resp> stream;

    private UnixStreamClient(Path path, PacketStream<Req, Resp> stream) {
        this.path = path;
        this.stream = stream;
    }

    /** Connects to the server at {@code path} with the {@link ClientOptions#defaults() default options}. */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(Path path, StreamProtocol<Req, Resp> protocol)
            throws IOException {
        return connect(path, protocol, ClientOptions.defaults());
    }

    /**
     * Connects to the server at {@code path}.
     *
     * @throws java.net.SocketTimeoutException if the server's backlog stays full for the connect timeout
     * @throws IOException naming the path if nobody listens there or the file does not exist
     */
    public static <Req, Resp> UnixStreamClient<Req, Resp> connect(Path path, StreamProtocol<Req, Resp> protocol,
            ClientOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options");
        UnixConnection connection = UnixTransport.jdk().connect(path, options.localPath(), options.connectTimeout());
        PacketStream<Req, Resp> stream = new PacketStream<>(connection, protocol, "server on " + path,
                options.receiveBufferSize(), options.maxPacketSize(), PacketStream.TrafficListener.NONE);
        return new UnixStreamClient<>(path, stream);
    }

    /** The path of the server's socket. */
    public Path path() {
        return path;
    }

    /**
     * Sends one packet. Thread-safe.
     *
     * @throws IllegalArgumentException if the protocol cannot encode the packet; nothing was sent
     */
    public void send(Req packet) throws IOException {
        stream.send(packet);
    }

    /**
     * Receives the next packet, waiting as long as it takes.
     *
     * @throws StreamProtocolParseException if the packet is invalid; the next one can still be received
     * @throws java.io.EOFException if the server closed the connection
     */
    public Resp receive() throws IOException, StreamProtocolParseException {
        return stream.receive(null);
    }

    /**
     * Receives the next packet, waiting at most {@code timeout}.
     *
     * @throws java.net.SocketTimeoutException if the timeout passed first; nothing is lost
     */
    public Resp receive(Duration timeout) throws IOException, StreamProtocolParseException {
        return stream.receive(Objects.requireNonNull(timeout, "timeout"));
    }

    /** Tells the server that nothing more will be sent; receiving still works. */
    public void sendEof() throws IOException {
        stream.sendEof();
    }

    /** Whether the client has been closed. */
    public boolean isClosed() {
        return !stream.connection().isOpen();
    }

    /** The address this end is bound to; unnamed unless a local path was set. */
    public SocketAddress localAddress() throws IOException {
        return stream.connection().localAddress();
    }

    /** The server's address. */
    public SocketAddress peerAddress() throws IOException {
        return stream.connection().peerAddress();
    }

    /** Options access to the socket. */
    public SocketProxy socket() {
        return stream.connection().socket();
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
