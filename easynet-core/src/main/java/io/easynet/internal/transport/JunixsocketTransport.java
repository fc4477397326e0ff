package io.easynet.internal.transport;

import io.easynet.transport.AbstractUnixAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The transport on junixsocket's channels, for what the JDK lacks: descriptor passing, peer pids, abstract addresses
 * and adopting systemd-passed sockets. Its channels stay non-blocking and wait in the {@link ReadinessPoller}.
 */
final class JunixsocketTransport implements UnixTransport {

    private static final JunixsocketTransport INSTANCE = new JunixsocketTransport();

    private static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

    private JunixsocketTransport() {
    }

    static JunixsocketTransport instance() {
        if (!AFSocket.supports(AFSocketCapability.CAPABILITY_UNIX_DOMAIN)) {
            throw new UnsupportedOperationException("junixsocket has no native library for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + "; use UnixTransport.jdk()");
        }
        return INSTANCE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>junixsocket's bind makes the file {@code rw-rw-rw-} whatever the umask: bind in a directory only this user can
     * enter and give the file its mode there before it appears where clients look, as the server does. The listener
     * keeps accepting when the file is deleted, moved or replaced, as the JDK's does, where junixsocket's own would
     * close itself at its next accept.
     */
    @Override
    public UnixListener listen(Path path, int backlog) throws IOException {
        AFUNIXServerSocketChannel bound = bind(path, () -> AFUNIXSocketAddress.of(path), backlog);
        try {
            return detachedFromItsPath(bound);
        } catch (IOException e) {
            bound.close();
            throw TransportErrors.withAddress("cannot listen on ", path, e);
        } catch (RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    @Override
    public UnixListener listen(AbstractUnixAddress address, int backlog) throws IOException {
        requireAbstractNamespace(address);
        AFUNIXServerSocketChannel bound = bind(address,
                () -> AFUNIXSocketAddress.inAbstractNamespace(address.name()), backlog);
        try {
            return new JunixsocketListener(bound, null, null);
        } catch (IOException | RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    private static AFUNIXServerSocketChannel bind(Object shown, AddressFactory address, int backlog)
            throws IOException {
        try {
            AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
            try {
                // As the JDK does: fail on a taken path rather than replace its file, and leave the file at close
                // to whoever bound it (the server removes it only while it is still its own).
                channel.socket().setReuseAddress(false);
                channel.setDeleteOnClose(false);
                channel.bind(address.create(), backlog);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw TransportErrors.withAddress("cannot listen on ", shown, e);
        }
    }

    /**
     * Accepts on a duplicate of the bound socket's descriptor. junixsocket remembers the inode of the file its bind
     * created and, at each accept, closes the socket if that path no longer names it: a server bound in a private
     * directory and linked into place would stop at its first accept. A channel made from a descriptor has no such
     * inode. The bound channel stays open until the listener closes, since closing it shuts the socket down for
     * both descriptors.
     */
    private static UnixListener detachedFromItsPath(AFUNIXServerSocketChannel bound) throws IOException {
        FileDescriptorCast duplicate = FileDescriptorCast.duplicating(bound.getFileDescriptor());
        AFUNIXServerSocketChannel accepting = duplicate.as(AFUNIXServerSocketChannel.class);
        accepting.setDeleteOnClose(false);
        return new JunixsocketListener(accepting, duplicate.getFileDescriptor(), bound);
    }

    /**
     * Refuses {@code localPath}: junixsocket ignores a bind on a client socket, so the connection would silently be
     * unnamed.
     */
    @Override
    public UnixConnection connect(Path path, @Nullable Path localPath, Duration timeout) throws IOException {
        if (localPath != null) {
            throw new UnsupportedOperationException("junixsocket cannot bind a client socket to a path (it ignores "
                    + "such a bind), so it cannot connect to " + path + " from " + localPath
                    + "; use UnixTransport.jdk() for a named client socket");
        }
        return connect(path, () -> AFUNIXSocketAddress.of(path), timeout);
    }

    @Override
    public UnixConnection connect(AbstractUnixAddress address, Duration timeout) throws IOException {
        requireAbstractNamespace(address);
        return connect(address, () -> AFUNIXSocketAddress.inAbstractNamespace(address.name()), timeout);
    }

    private static UnixConnection connect(Object shown, AddressFactory address, Duration timeout)
            throws IOException {
        try {
            AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
            try {
                // While the server's backlog is full the kernel waits at most SO_SNDTIMEO, then fails with EAGAIN,
                // which junixsocket reports as a SocketTimeoutException.
                channel.socket().setSoTimeout(Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
                connectOnPlatformThread(channel, address.create());
                channel.socket().setSoTimeout(0);
                return new JunixsocketConnection(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (SocketTimeoutException e) {
            throw TransportErrors.connectTimedOut(shown, timeout);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            throw TransportErrors.withAddress("cannot connect to ", shown, e);
        }
    }

    /**
     * Connects in blocking mode on a platform thread: on a virtual thread junixsocket would retry a refused connect
     * in a loop instead of failing.
     */
    private static void connectOnPlatformThread(AFUNIXSocketChannel channel, AFUNIXSocketAddress address)
            throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            channel.connect(address);
            return;
        }
        FutureTask<Boolean> connecting = new FutureTask<>(() -> channel.connect(address));
        Thread.ofPlatform().daemon().name("easynet-junixsocket-connect").start(connecting);
        try {
            connecting.get();
        } catch (ExecutionException e) {
            throw TransportErrors.rethrow(e.getCause());
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new ClosedByInterruptException();
        }
    }

    /**
     * Adopts an inherited listening socket, such as one systemd passed. The listener owns the descriptor: closing
     * it closes the descriptor, but never removes a socket file, which belongs to whoever created the socket.
     *
     * @throws IOException if the descriptor is not a listening Unix-domain stream socket
     */
    UnixListener inherited(int descriptor) throws IOException {
        FileDescriptorCast inherited = FileDescriptorCast.unsafeUsing(descriptor);
        AFUNIXServerSocketChannel channel;
        try {
            channel = inherited.as(AFUNIXServerSocketChannel.class);
        } catch (ClassCastException e) {
            throw new IOException("descriptor " + descriptor + " is not a listening Unix-domain stream socket", e);
        }
        channel.setDeleteOnClose(false);
        return new JunixsocketListener(channel, inherited.getFileDescriptor(), null);
    }

    /** junixsocket's address as the JDK's, or as an {@link AbstractUnixAddress}; unnamed when it has none. */
    static SocketAddress toSocketAddress(@Nullable AFUNIXSocketAddress address) {
        if (address == null) {
            return UNNAMED;
        }
        if (address.isInAbstractNamespace()) {
            byte[] bytes = address.getPathAsBytes();
            return AbstractUnixAddress.of(new String(bytes, 1, bytes.length - 1, AFUNIXSocketAddress.addressCharset()));
        }
        return address.hasFilename() ? UnixDomainSocketAddress.of(address.getPath()) : UNNAMED;
    }

    /** Makes junixsocket's address, which fails with a {@link SocketException} for a name or path too long. */
    @FunctionalInterface
    private interface AddressFactory {

        AFUNIXSocketAddress create() throws SocketException;
    }

    private static void requireAbstractNamespace(AbstractUnixAddress address) {
        if (!AFSocket.supports(AFSocketCapability.CAPABILITY_ABSTRACT_NAMESPACE)) {
            throw new UnsupportedOperationException("abstract addresses such as " + address
                    + " exist on Linux only; use a socket file on " + System.getProperty("os.name"));
        }
    }
}
