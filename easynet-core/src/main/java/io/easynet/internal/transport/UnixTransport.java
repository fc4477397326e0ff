package io.easynet.internal.transport;

import io.easynet.transport.AbstractUnixAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Opens Unix-domain stream sockets. The JDK's own channels are enough for plain streams; a transport on
 * junixsocket takes over where ancillary data, peer pids or abstract addresses are needed.
 *
 * <p>Both honour the same contract for what both do. What only junixsocket can do (abstract addresses here,
 * descriptor passing and peer credentials on {@link UnixConnection}) the JDK transport refuses with an
 * {@link UnsupportedOperationException} that names the way out.
 */
public interface UnixTransport {

    /** {@return the transport on the JDK's {@code SocketChannel} with {@code UnixDomainSocketAddress}} */
    static UnixTransport jdk() {
        return JdkUnixTransport.INSTANCE;
    }

    /**
     * {@return the transport on junixsocket, for descriptor passing, peer pids and abstract addresses} It cannot bind a
     * client socket to a path (junixsocket ignores such a bind), so {@code connect} refuses a {@code localPath}.
     *
     * @throws UnsupportedOperationException if junixsocket has no native library for this platform
     */
    static UnixTransport junixsocket() {
        return JunixsocketTransport.instance();
    }

    /**
     * Binds a socket file at {@code path} and listens on it. The path must not exist.
     *
     * @param backlog how many connections the kernel queues before they are accepted
     * @param path where to bind the socket file
     * @return the listener
     * @throws IOException if the socket cannot be bound
     */
    UnixListener listen(Path path, int backlog) throws IOException;

    /**
     * Listens on a name in Linux's abstract namespace, which must be free.
     *
     * @param backlog how many connections the kernel queues before they are accepted
     * @param address the abstract address to bind
     * @return the listener
     * @throws UnsupportedOperationException on the JDK transport
     * @throws IOException if the socket cannot be bound
     */
    UnixListener listen(AbstractUnixAddress address, int backlog) throws IOException;

    /**
     * Connects to the socket at {@code path}.
     *
     * @param localPath where to bind this end first, or {@code null} for an unnamed socket
     * @param timeout how long to wait when the server's backlog is full
     * @param path the path of the server's socket file
     * @return the connection
     * @throws java.net.SocketTimeoutException when the timeout passes first
     */
    UnixConnection connect(Path path, @Nullable Path localPath, Duration timeout) throws IOException;

    /**
     * Connects to a socket listening on a name in Linux's abstract namespace; this end stays unnamed.
     *
     * @param timeout how long to wait when the server's backlog is full
     * @param address the server's abstract address
     * @return the connection
     * @throws java.net.SocketTimeoutException when the timeout passes first
     * @throws UnsupportedOperationException on the JDK transport
     */
    UnixConnection connect(AbstractUnixAddress address, Duration timeout) throws IOException;
}
