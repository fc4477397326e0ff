package io.easynet.benchmarks.echo;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One blocking client connection doing request/response exchanges: writes the whole request, then reads until the
 * answer is complete (as many bytes as sent, or up to a newline). Buffers are direct and reused, so the client
 * allocates nothing per exchange.
 */
final class EchoConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final Payload payload;
    private final ByteBuffer request;
    private final ByteBuffer response;

    EchoConnection(Path socket, Payload payload) throws IOException {
        this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        this.payload = payload;
        this.request = ByteBuffer.allocateDirect(payload.size()).put(payload.bytes());
        // a re-encoded JSON answer may be a little longer than the request
        this.response = ByteBuffer.allocateDirect(Math.max(payload.size() * 2, 4096));
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Sends the request and waits for the whole answer; returns the answer's length. */
    int exchange() throws IOException {
        request.clear();
        while (request.hasRemaining()) {
            channel.write(request);
        }
        response.clear();
        return payload.lines() ? readLine() : readExactly(payload.size());
    }

    /** Whether the last answer is byte for byte the request (checked once per connection, not in the loop). */
    boolean lastAnswerEchoes() {
        ByteBuffer answer = response.duplicate().flip();
        return answer.equals(ByteBuffer.wrap(payload.bytes()));
    }

    private int readExactly(int length) throws IOException {
        while (response.position() < length) {
            readSome();
        }
        return length;
    }

    private int readLine() throws IOException {
        int scanned = 0;
        while (true) {
            readSome();
            for (int end = response.position(); scanned < end; scanned++) {
                if (response.get(scanned) == '\n') {
                    return scanned + 1;
                }
            }
        }
    }

    private void readSome() throws IOException {
        if (!response.hasRemaining()) {
            throw new IOException("answer longer than " + response.capacity() + " bytes");
        }
        if (channel.read(response) < 0) {
            throw new EOFException("the server closed the connection mid-answer");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
