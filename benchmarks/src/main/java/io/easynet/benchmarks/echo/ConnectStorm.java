package io.easynet.benchmarks.echo;

import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A connect storm: {@code connections} connections opened one after the other as fast as one thread can, each
 * writing one byte as soon as it is connected, timed from the first connect until every connection has read its
 * byte back. It measures how fast a server takes on new clients (accept, start serving, first answer), which a
 * closed loop on long-lived connections never exercises. Two smaller storms, closed again, warm the server's
 * accept path up first, as in a server that has been running for a while.
 *
 * @param connections how many connections the measured storm opens
 */
record ConnectStorm(int connections) {

    /** Runs the warm-up storms and the measured one against {@code socket}. */
    StormResult run(Path socket) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        for (int i = 0; i < 2; i++) {
            storm(address, Math.max(1, connections / 5));
        }
        return storm(address, connections);
    }

    private static StormResult storm(UnixDomainSocketAddress address, int count) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channels.add(channel);
                buffer.clear().put((byte) i).flip();
                channel.write(buffer);
            }
            long connected = System.nanoTime();
            for (int i = 0; i < count; i++) {
                buffer.clear();
                if (channels.get(i).read(buffer) < 0) {
                    throw new EOFException("connection " + i + " of the storm was closed before its answer");
                }
                if (buffer.get(0) != (byte) i) {
                    throw new IOException("connection " + i + " of the storm got " + buffer.get(0) + " back, not "
                            + (byte) i);
                }
            }
            long answered = System.nanoTime();
            double seconds = (answered - start) / 1e9;
            return new StormResult(count / seconds, (connected - start) / 1e9, seconds,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }
}
