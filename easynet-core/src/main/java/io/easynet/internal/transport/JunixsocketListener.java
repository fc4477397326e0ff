package io.easynet.internal.transport;

import io.easynet.transport.FileDescriptors;
import io.easynet.transport.SocketProxy;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/** A listening junixsocket channel, non-blocking, whose accepts wait in the {@link ReadinessPoller}. */
final class JunixsocketListener implements UnixListener {

    private final AFUNIXServerSocketChannel channel;

    /** A descriptor the channel was made from, which junixsocket does not close with it; or {@code null}. */
    private final @Nullable FileDescriptor adopted;

    /** The channel that bound the socket, when {@code channel} accepts on a duplicate of it; or {@code null}. */
    private final @Nullable Closeable bound;

    private final ReadinessPoller poller;

    JunixsocketListener(AFUNIXServerSocketChannel channel, @Nullable FileDescriptor adopted, @Nullable Closeable bound)
            throws IOException {
        this.channel = channel;
        this.adopted = adopted;
        this.bound = bound;
        this.poller = ReadinessPoller.get();
        channel.configureBlocking(false);
    }

    @Override
    public UnixConnection accept() throws IOException {
        while (true) {
            UnixConnection accepted = acceptIfWaiting();
            if (accepted != null) {
                return accepted;
            }
            poller.await(channel, SelectionKey.OP_ACCEPT, this);
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException();
            }
        }
    }

    @Override
    public @Nullable UnixConnection acceptIfWaiting() throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        AFUNIXSocketChannel accepted = channel.accept();
        return accepted == null ? null : new JunixsocketConnection(accepted);
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return JunixsocketTransport.toSocketAddress(channel.getLocalAddress());
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
            // Only once closed: an accept woken before the close retries on a channel still open, waits again, and
            // nothing would wake it.
            poller.wakeAll(channel);
            try {
                if (adopted != null && adopted.valid()) {
                    Descriptors.closeAll(adopted);
                }
            } finally {
                if (bound != null) {
                    bound.close();
                }
            }
        }
    }
}
