package io.easynet.demo.docs;

import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;

/**
 * core.md's descriptor sample: each request comes with a file descriptor; the handler reads as many bytes from it as
 * the request says and answers them, with the same descriptor attached, now positioned after them.
 */
class HeadHandler implements StreamRequestHandler<String, String> {

    @Override
    public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
        // tag::descriptors[]
        Received<String> received = requests.receiveWithAncillary();   // or receiveWithAncillary(RecvParams.timeout(d))
        try (FileInputStream in = received.descriptors().takeInputStream(0)) {   // take(i): the raw FileDescriptor
            String head = new String(in.readNBytes(Integer.parseInt(received.packet())), StandardCharsets.UTF_8);
            client.sendWithAncillary(head, Ancillary.rights(in.getFD()));        // the peer gets its own copy
        }
        // end::descriptors[]
    }
}
