package io.easynet.demo;

// tag::echo-imports[]
import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.stereotype.Component;
// end::echo-imports[]

/**
 * The {@code echo} server: every JSON value received is sent back unchanged, and a line that is not valid JSON
 * gets {@code {"error":"<message>"}} back while the connection stays open.
 */
// tag::echo-handler[]
@Component
@UnixStreamHandler("echo")
class EchoHandler implements StreamRequestHandler<JsonNode, JsonNode> {

    @Override
    public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        JsonNode request;
        try {
            request = requests.receive();                  // EasyNetwork's yield
        } catch (StreamProtocolParseException e) {         // a line that is not JSON: answer, keep the connection
            client.send(JsonNodeFactory.instance.objectNode().put("error", e.getMessage()));
            return;
        }
        client.send(request);
    }
}
// end::echo-handler[]
