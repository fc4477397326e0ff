package io.easynet.server;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LineSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** Shortcuts for tests that run a real server on a socket in a temporary directory. */
final class Servers {

    static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    static final StreamProtocol<JsonNode, JsonNode> JSON = StreamProtocol.of(JsonSerializer.tree());

    private Servers() {
    }

    /** Starts a text-line server at {@code dir/server.sock} with default options. */
    static AsyncUnixStreamServer<String, String> startLines(Path dir, StreamRequestHandler<String, String> handler)
            throws IOException {
        return startLines(dir, handler, ServerOptions.defaults());
    }

    static AsyncUnixStreamServer<String, String> startLines(Path dir, StreamRequestHandler<String, String> handler,
            ServerOptions options) throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler, options);
        server.start();
        return server;
    }

    static UnixStreamClient<String, String> lineClient(AsyncUnixStreamServer<?, ?> server) throws IOException {
        return UnixStreamClient.connect(server.path(), LINES);
    }

    /** A handler that gives each client to {@code onConnection} as it connects, then sends back each line. */
    static StreamRequestHandler<String, String> echoAfter(Consumer<StreamClient<String>> onConnection) {
        return new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                onConnection.accept(client);
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }
        };
    }

    /**
     * Receives as {@code params} say, completing {@code saw} with what the receive threw, so that a test can check
     * the exception a handler got.
     */
    static <T> T receiveRecording(RequestStream<T> requests, RecvParams params, CompletableFuture<Exception> saw)
            throws Exception {
        try {
            return requests.receive(params);
        } catch (Exception e) {
            saw.complete(e);
            throw e;
        }
    }

    /** A handler that sends back each line it receives. */
    static StreamRequestHandler<String, String> echo() {
        return (client, requests) -> client.send(requests.receive());
    }
}
