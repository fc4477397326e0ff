package io.easynet.demo.docs;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** The core samples of README.md and docs/core.md, run over real sockets by {@link CoreSamplesTest}. */
final class CoreSamples {

    private CoreSamples() {
    }

    /** README's server without Spring: echoes every JSON document until the calling thread is interrupted. */
    static void serveEcho(Path path) throws Exception {
        // tag::core-echo[]
        var server = new AsyncUnixStreamServer<>(
                path,                                              // e.g. Path.of("/run/app/app.sock")
                StreamProtocol.of(JsonSerializer.tree()),
                (client, requests) -> client.send(requests.receive()));
        server.serveForever();
        // end::core-echo[]
    }

    /** core.md's server: a started greeting server on {@code path}, for the caller to stop. */
    static AsyncUnixStreamServer<Request, Response> startGreetings(Path path) throws IOException {
        // tag::core-server[]
        var server = new AsyncUnixStreamServer<>(
                path,                                                 // where the socket file is bound
                StreamProtocol.of(JsonSerializer.of(Response.class),  // how responses are encoded
                        JsonSerializer.of(Request.class)),            // and requests decoded
                new MyHandler(),                                      // the service, one instance for every client
                ServerOptions.builder().socketFileMode(0660).build());
        server.start();                       // returns once listening; server.serveForever() blocks until stopped
        // end::core-server[]
        return server;
    }

    /** core.md's client: sends {@code request} and returns the response. */
    // tag::core-client[]
    static JsonNode ask(Path path, JsonNode request) throws Exception {
        try (var client = UnixStreamClient.connect(path, StreamProtocol.of(JsonSerializer.tree()))) {
            client.send(request);
            return client.receive(Duration.ofSeconds(5));
        }
    }
    // end::core-client[]

    /** A request of {@link MyHandler}: a name to greet. */
    record Request(String name) {
    }

    /** A response of {@link MyHandler}: the greeting. */
    record Response(String greeting) {
    }
}
