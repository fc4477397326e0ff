package io.easynet.benchmarks.servers;

import java.nio.file.Path;

import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.RawSerializer;
import io.easynet.server.AsyncUnixStreamServer;

/**
 * The easynet-core echo server, written as the README shows it: {@code client.send(requests.receive())} on one
 * virtual thread per client. {@code raw} echoes each read with {@link RawSerializer}; {@code line} decodes each
 * JSON line into a tree with {@link JsonSerializer#tree()} and encodes it back.
 *
 * <p>Arguments: the socket path and {@code raw} or {@code line}.
 */
public final class CoreEchoServer {

    private CoreEchoServer() {
    }

    /** Serves until the process is killed. */
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        AsyncUnixStreamServer<?, ?> server = switch (EchoMode.parse(args[1])) {
            case RAW -> new AsyncUnixStreamServer<byte[], byte[]>(path, StreamProtocol.of(RawSerializer.INSTANCE),
                    (client, requests) -> client.send(requests.receive()));
            case LINE -> new AsyncUnixStreamServer<>(path, StreamProtocol.of(JsonSerializer.tree()),
                    (client, requests) -> client.send(requests.receive()));
        };
        server.start();
        Ready.announce();
        server.serveForever();
    }
}
