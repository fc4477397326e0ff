package io.easynet.demo.docs.migration;

import java.net.SocketTimeoutException;
import java.time.Duration;

import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.AttributeKey;
import io.easynet.server.RecvParams;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A session-style service for the migration guide: a login read in {@code onConnection} (EasyNetwork's
 * {@code on_connection} written as a generator), then one request per round with a timeout, bad input answered
 * rather than fatal, and {@code {"quit":true}} closing the connection ({@code client.aclose()}).
 */
class SessionHandler implements StreamRequestHandler<JsonNode, JsonNode> {

    /** The logged-in user of a connection, set once the login is read. */
    static final AttributeKey<String> USER = AttributeKey.of("user", String.class);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Duration requestTimeout;

    SessionHandler(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    // tag::login[]
    @Override
    public void onConnection(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        client.send(JSON.objectNode().put("hello", "who are you?"));
        JsonNode login = requests.receive();                          // on_connection's own `yield`
        String user = login.path("user").asString("");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("a login needs a user, got " + login); // closes the connection
        }
        client.attributes().set(USER, user);
        client.send(JSON.objectNode().put("welcome", user));
    }
    // end::login[]

    // tag::round[]
    @Override
    public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        JsonNode request;
        try {
            request = requests.receive(RecvParams.timeout(requestTimeout)); // yield RecvParams(timeout=...)
        } catch (StreamProtocolParseException e) {                       // except StreamProtocolParseError
            client.send(JSON.objectNode().put("error", e.reason().name()));
            return;                                                      // next round: the connection stays
        } catch (SocketTimeoutException e) {                             // except TimeoutError
            client.send(JSON.objectNode().put("error", "too slow"));
            return;
        }
        if (request.path("quit").asBoolean(false)) {
            client.send(JSON.objectNode().put("bye", client.attributes().get(USER)));
            client.close();                                              // await client.aclose()
            return;
        }
        client.send(JSON.objectNode().put("user", client.attributes().get(USER)).set("echo", request));
    }
    // end::round[]
}
