package io.easynet.internal.transport;

import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The transport on the JDK's Unix-domain {@link SocketChannel}s, in blocking mode. */
final class JdkUnixTransport implements UnixTransport {

    static final JdkUnixTransport INSTANCE = new JdkUnixTransport();

    private static final int CONNECTING = 0;

    private static final int CONNECTED = 1;

    private static final int TIMED_OUT = 2;

    private JdkUnixTransport() {
    }

    @Override
    public UnixListener listen(Path path, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (IOException e) {
            channel.close();
            throw TransportErrors.withAddress("cannot listen on ", path, e);
        }
        return new Listener(channel);
    }

    @Override
    public UnixListener listen(AbstractUnixAddress address, int backlog) {
        throw TransportErrors.needsJunixsocket("listen on abstract addresses such as " + address);
    }

    @Override
    public UnixConnection connect(AbstractUnixAddress address, Duration timeout) {
        throw TransportErrors.needsJunixsocket("connect to abstract addresses such as " + address);
    }

    @Override
    public UnixConnection connect(Path path, @Nullable Path localPath, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            BoundSocketFile local = localPath == null ? null : bindLocal(channel, localPath);
            try {
                connectWithin(channel, path, timeout);
            } catch (IOException | RuntimeException e) {
                if (local != null) {
                    local.removeIfOurs();
                }
                throw e;
            }
            return new Connection(channel, local);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static BoundSocketFile bindLocal(SocketChannel channel, Path localPath) throws IOException {
        try {
            channel.bind(UnixDomainSocketAddress.of(localPath));
        } catch (IOException e) {
            throw TransportErrors.withAddress("cannot bind the client socket at ", localPath, e);
        }
        return BoundSocketFile.of(localPath);
    }

    /** Blocking connect, with a watchdog that closes the channel if the server's backlog keeps it waiting. */
    private static void connectWithin(SocketChannel channel, Path path, Duration timeout) throws IOException {
        AtomicInteger state = new AtomicInteger(CONNECTING);
        Thread watchdog = Thread.ofVirtual().name("easynet-connect-watchdog").start(() -> {
            try {
                Thread.sleep(timeout);
                if (state.compareAndSet(CONNECTING, TIMED_OUT)) {
                    channel.close();
                }
            } catch (InterruptedException | IOException e) {
                // connected in time, or the channel is being closed anyway
            }
        });
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
        } catch (ClosedChannelException e) {
            if (state.get() == TIMED_OUT) {
                throw TransportErrors.connectTimedOut(path, timeout);
            }
            throw e;
        } catch (IOException e) {
            throw TransportErrors.withAddress("cannot connect to ", path, e);
        } finally {
            watchdog.interrupt();
        }
        if (!state.compareAndSet(CONNECTING, CONNECTED)) {
            throw TransportErrors.connectTimedOut(path, timeout);
        }
    }

    private record Listener(ServerSocketChannel channel) implements UnixListener {

        @Override
        public UnixConnection accept() throws IOException {
            return new Connection(channel.accept(), null);
        }

        @Override
        public @Nullable UnixConnection acceptIfWaiting() throws IOException {
            // the channel is blocking for accept(); this runs before any accept() does, so none sees the switch
            channel.configureBlocking(false);
            try {
                SocketChannel accepted = channel.accept();
                return accepted == null ? null : new Connection(accepted, null);
            } finally {
                channel.configureBlocking(true);
            }
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public SocketProxy socket() {
            return new ChannelSocketProxy(channel);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A connected channel, and the socket file its client end was bound to, removed at close. */
    private record Connection(SocketChannel channel, @Nullable BoundSocketFile local) implements UnixConnection {

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            return channel.read(buffer);
        }

        @Override
        public AncillaryRead readWithAncillary(ByteBuffer buffer, int ancillaryBufferSize) {
            throw TransportErrors.needsJunixsocket("receive file descriptors (its SocketChannel has no ancillary "
                    + "data)");
        }

        @Override
        public int write(ByteBuffer buffer) throws IOException {
            return channel.write(buffer);
        }

        @Override
        public int writeWithAncillary(ByteBuffer buffer, Ancillary ancillary) {
            throw TransportErrors.needsJunixsocket("send file descriptors (its SocketChannel has no ancillary data)");
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public SocketAddress localAddress() throws IOException {
            return channel.getLocalAddress();
        }

        @Override
        public SocketAddress peerAddress() throws IOException {
            return channel.getRemoteAddress();
        }

        @Override
        public PeerCredentials peerCredentials() {
            throw TransportErrors.needsJunixsocket("read the peer's pid (user and group names are in "
                    + "socket().getOption(ExtendedSocketOptions.SO_PEERCRED))");
        }

        @Override
        public SocketProxy socket() {
            return new ChannelSocketProxy(channel);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                if (local != null) {
                    local.removeIfOurs();
                }
            }
        }
    }
}
