package io.easynet.demo;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The {@code counter} server: each {@code {"add": n}} gets {@code {"total": t}}, the running total of this
 * connection only, kept in a {@code unix-client}-scoped {@link RunningTotal}. A request that is not
 * {@code {"add": <integer>}} gets {@code {"error":"<message>"}} and leaves the total as it was.
 */
// tag::counter-handler[]
@Component
@UnixStreamHandler("counter")
class CounterHandler implements StreamRequestHandler<CounterHandler.Add, Object> {

    private final RunningTotal total;

    CounterHandler(RunningTotal total) {
        this.total = total;
    }

    @Override
    public void handle(StreamClient<Object> client, RequestStream<Add> requests) throws Exception {
        Add request;
        try {
            request = requests.receive();
        } catch (StreamProtocolParseException e) {
            client.send(new Error(e.getMessage()));
            return;
        }
        if (request == null || request.add() == null) {
            client.send(new Error("expected {\"add\": <integer>}"));
            return;
        }
        try {
            client.send(new Total(total.add(request.add())));
        } catch (ArithmeticException e) {
            client.send(new Error("the total would overflow a 64-bit integer"));
        }
    }

    /** A request: how much to add. */
    record Add(@Nullable Long add) {
    }

    /** A response: the connection's total so far. */
    record Total(long total) {
    }

    /** A response to a request that could not be served. */
    record Error(String error) {
    }
}
// end::counter-handler[]
