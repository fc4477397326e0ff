package io.easynet.benchmarks.path;

import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.RawSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The raw echo server the C client measures: every read a client's thread gets is written back as is, with the
 * server's default options. Serves until killed, and removes its socket file on the way out.
 *
 * <pre>{@code java -cp ... io.easynet.benchmarks.path.EchoServerMain /tmp/easynet-echo.sock}</pre>
 */
public final class EchoServerMain {

    private EchoServerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: EchoServerMain <socket path>");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        Files.deleteIfExists(path);
        var server = new AsyncUnixStreamServer<>(path, StreamProtocol.of(RawSerializer.INSTANCE),
                (client, requests) -> client.send(requests.receive()), ServerOptions.defaults());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> server.stop(Duration.ofSeconds(1))));
        server.start();
        System.out.println("raw echo server on " + path);
        server.serveForever();
    }
}
