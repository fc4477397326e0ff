package io.easynet.demo.docs;

import io.easynet.demo.docs.CoreSamples.Request;
import io.easynet.demo.docs.CoreSamples.Response;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

/** core.md's handler: greets each request by its name, one request per round. */
// tag::core-handler[]
class MyHandler implements StreamRequestHandler<Request, Response> {

    @Override
    public void handle(StreamClient<Response> client, RequestStream<Request> requests) throws Exception {
        Request request = requests.receive();          // EasyNetwork: request = yield
        client.send(new Response("hello " + request.name()));
    }
}
// end::core-handler[]
