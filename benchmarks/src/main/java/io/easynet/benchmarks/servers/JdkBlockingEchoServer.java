package io.easynet.benchmarks.servers;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plain-JDK baseline: blocking {@link SocketChannel}s, one platform thread per connection, a 64 KiB direct
 * buffer each (a heap buffer would be copied through a temporary direct one on every call). {@code raw} writes
 * back each read; {@code line} writes back each complete line and keeps a partial one for the next read.
 *
 * <p>Arguments: the socket path and {@code raw} or {@code line}.
 */
public final class JdkBlockingEchoServer {

    private static final int BUFFER_SIZE = 64 * 1024;

    private JdkBlockingEchoServer() {
    }

    /** Serves until the process is killed. */
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        boolean lines = EchoMode.parse(args[1]) == EchoMode.LINE;
        Files.deleteIfExists(path);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        Ready.announce();
        while (true) {
            SocketChannel channel = listener.accept();
            Thread.ofPlatform().name("echo-", 0).start(() -> serve(channel, lines));
        }
    }

    private static void serve(SocketChannel channel, boolean lines) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        try (channel) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                if (lines) {
                    writeLines(channel, buffer);
                } else {
                    writeFully(channel, buffer);
                }
                buffer.compact();
            }
        } catch (IOException e) {
            // the client went away: nothing to report in a benchmark
        }
    }

    /** Writes every complete line of {@code buffer}, one write each, leaving a partial line in it. */
    private static void writeLines(SocketChannel channel, ByteBuffer buffer) throws IOException {
        int limit = buffer.limit();
        for (int i = buffer.position(); i < limit; i++) {
            if (buffer.get(i) == '\n') {
                buffer.limit(i + 1);
                writeFully(channel, buffer);
                buffer.limit(limit);
            }
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
