package io.easynet.demo.docs.migration;

import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.easynet.server.RequestStream;
import io.easynet.server.ServiceContext;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.SocketProxy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A service with set-up for the migration guide: {@code serviceInit} (EasyNetwork's {@code service_init}) looks at
 * the listening socket, starts a background task, registers clean-up and binds a service-wide value that every
 * client's thread sees (the {@code contextvars} set in {@code service_init}); each request is answered with who is
 * asking, found through the current client rather than passed down.
 */
class TickerHandler implements StreamRequestHandler<JsonNode, JsonNode> {

    /** The service's name, bound once in {@code serviceInit} and read on every client's thread. */
    static final ScopedValue<String> SERVICE = ScopedValue.newInstance();

    private final AtomicLong ticks = new AtomicLong();

    private final List<String> events = new CopyOnWriteArrayList<>();

    // tag::service-init[]
    @Override
    public void serviceInit(ServiceContext<JsonNode, JsonNode> context) throws Exception {
        for (SocketProxy listener : context.server().sockets()) {               // server.get_sockets()
            events.add("listener SO_RCVBUF " + listener.getOption(StandardSocketOptions.SO_RCVBUF));
        }
        context.register(() -> events.add("service stopped"));                  // exit_stack.callback(...)
        context.startBackgroundTask("ticker", () -> {                            // a task in the service's group
            while (!Thread.currentThread().isInterrupted()) {                    // interrupted at stop
                ticks.incrementAndGet();
                Thread.sleep(10);
            }
        });
        context.bind(SERVICE, "ticker");                                         // ContextVar.set in service_init
    }
    // end::service-init[]

    @Override
    public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        JsonNode request = requests.receive();
        client.send(JsonNodeFactory.instance.objectNode().put("from", describeCaller()).set("echo", request));
    }

    // tag::current-client[]
    /** Who is calling, from any code the handler calls: no client parameter needed. */
    static String describeCaller() {
        StreamClient<?> client = StreamClient.current();                         // client_addr_var.get()
        return SERVICE.get() + "/" + client.id();
    }
    // end::current-client[]

    /** How many times the background task has run. */
    long ticks() {
        return ticks.get();
    }

    /** What {@code serviceInit} saw and what its clean-up did, in order. */
    List<String> events() {
        return events;
    }
}
