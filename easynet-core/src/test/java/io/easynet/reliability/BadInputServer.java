package io.easynet.reliability;

import static org.awaitility.Awaitility.await;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * An echo server on a real socket that records every error its handler sees at the receive point, and a second,
 * well-behaved client connected before the bad input arrives, to show the server keeps serving others.
 *
 * @param <T> the packet type
 */
final class BadInputServer<T> implements AutoCloseable {

    /** The packet limit of every server of the suite: room for 100,000 nested brackets, still a real limit. */
    static final int LIMIT = 128 * 1024;

    private final LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    private final AsyncUnixStreamServer<T, T> server;

    private final UnixStreamClient<T, T> goodClient;

    private final T sample;

    private final BiConsumer<T, T> sameAs;

    /** The first check runs before any bad input; only the later ones count as served after it. */
    private boolean checkedOnce;

    BadInputServer(Path dir, StreamProtocol<T, T> protocol, T sample, BiConsumer<T, T> sameAs)
            throws IOException, StreamProtocolParseException {
        this.sample = sample;
        this.sameAs = sameAs;
        StreamRequestHandler<T, T> echo = (client, requests) -> {
            while (true) {
                T packet;
                try {
                    packet = requests.receive();
                } catch (StreamProtocolParseException e) {
                    errors.add(e);
                    continue;
                } catch (Throwable e) {
                    // the disconnect, and anything unexpected, is what the test checks
                    errors.add(e);
                    throw e;
                }
                client.send(packet);
            }
        };
        server = new AsyncUnixStreamServer<>(dir.resolve("bad-input.sock"), protocol, echo,
                ServerOptions.builder().maxPacketSize(LIMIT).build());
        server.start();
        goodClient = UnixStreamClient.connect(server.path(), protocol);
        assertServing();
    }

    /** Opens a raw connection that writes whatever bytes the test gives it. */
    SocketChannel rawClient() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(server.path()));
    }

    /** The next error the handler saw, waiting for it. */
    Throwable nextError() {
        return await().atMost(Duration.ofSeconds(20)).until(errors::poll, Objects::nonNull);
    }

    /** The errors seen so far, without waiting. */
    List<Throwable> drainErrors() {
        List<Throwable> drained = new ArrayList<>();
        errors.drainTo(drained);
        return drained;
    }

    /** The client connected before the bad input does a request and gets the right answer. */
    void assertServing() throws IOException, StreamProtocolParseException {
        goodClient.send(sample);
        sameAs.accept(goodClient.receive(Duration.ofSeconds(10)), sample);
        if (checkedOnce) {
            BadInputTally.SERVED_AFTER_BAD_INPUT.incrementAndGet();
        }
        checkedOnce = true;
    }

    static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static byte[] readExactly(SocketChannel channel, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("server ended the stream after " + buffer.position() + " of " + count
                        + " bytes");
            }
        }
        return buffer.array();
    }

    @Override
    public void close() throws IOException {
        try {
            goodClient.close();
        } finally {
            server.close();
        }
    }
}
