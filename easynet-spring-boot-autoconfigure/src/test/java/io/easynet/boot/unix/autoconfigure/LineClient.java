package io.easynet.boot.unix.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;

/** A client that speaks raw text lines, so tests see exactly the bytes a server sends. */
public final class LineClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final UnixStreamClient<String, String> client;

    private LineClient(UnixStreamClient<String, String> client) {
        this.client = client;
    }

    public static LineClient connect(Path path) throws IOException {
        return new LineClient(UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer())));
    }

    /** Sends one line and returns the line that comes back. */
    public String exchange(String line) throws Exception {
        client.send(line);
        return receive();
    }

    public void send(String line) throws IOException {
        client.send(line);
    }

    public String receive() throws Exception {
        return client.receive(TIMEOUT);
    }

    /** Sends one line to the server at {@code path} on a new connection and returns the answer. */
    public static String exchange(Path path, String line) throws Exception {
        try (LineClient client = connect(path)) {
            return client.exchange(line);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
