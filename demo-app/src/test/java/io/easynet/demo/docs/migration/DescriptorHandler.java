package io.easynet.demo.docs.migration;

import java.io.FileInputStream;

import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * File descriptors both ways for the migration guide (EasyNetwork's {@code RecvAncillaryDataParams} and
 * {@code send_packet_with_ancillary}): answers how many descriptors came with a request and passes the first one
 * back to the client.
 */
class DescriptorHandler implements StreamRequestHandler<JsonNode, JsonNode> {

    // tag::ancillary[]
    @Override
    public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        Received<JsonNode> received = requests.receiveWithAncillary();      // SCM_RIGHTS that came with it
        try (FileDescriptors descriptors = received.descriptors()) {        // closes what is not taken
            var answer = JsonNodeFactory.instance.objectNode().put("descriptors", descriptors.size());
            if (descriptors.isEmpty()) {
                client.send(answer);
                return;
            }
            try (FileInputStream first = descriptors.takeInputStream(0)) { // taken: ours to close
                client.sendWithAncillary(answer, Ancillary.rights(first.getFD()));
            }
        }
    }
    // end::ancillary[]
}
