package io.easynet.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Opens Unix-domain stream sockets. The JDK's own channels are enough for plain streams; a transport on
 * junixsocket takes over where ancillary data, peer pids or abstract addresses are needed.
 */
public interface UnixTransport {

    /** The transport on the JDK's {@code SocketChannel} with {@code UnixDomainSocketAddress}. */
    static UnixTransport jdk() {
        return JdkUnixTransport.INSTANCE;
    }

    /**
     * Binds a socket file at {@code path} and listens on it. The path must not exist.
     *
     * @param backlog how many connections the kernel queues before they are accepted
     */
    UnixListener listen(Path path, int backlog) throws IOException;

    /**
     * Connects to the socket at {@code path}.
     *
     * @param localPath where to bind this end first, or {@code null} for an unnamed socket
     * @param timeout how long to wait when the server's backlog is full
     * @throws java.net.SocketTimeoutException when the timeout passes first
     */
    UnixConnection connect(Path path, @Nullable Path localPath, Duration timeout) throws IOException;
}
