package io.easynet.transport;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/** A listening junixsocket channel, non-blocking, whose accepts wait in the {@link ReadinessPoller}. */
final class JunixsocketListener implements UnixListener {

    private final AFUNIXServerSocketChannel channel;

    private final ReadinessPoller poller;

    JunixsocketListener(AFUNIXServerSocketChannel channel) throws IOException {
        this.channel = channel;
        this.poller = ReadinessPoller.get();
        channel.configureBlocking(false);
    }

    @Override
    public UnixConnection accept() throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        while (true) {
            AFUNIXSocketChannel accepted = channel.accept();
            if (accepted != null) {
                return new JunixsocketConnection(accepted);
            }
            poller.await(channel, SelectionKey.OP_ACCEPT, this);
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException();
            }
        }
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
            poller.wakeAll(channel);
        }
    }
}
