package io.easynet.server;

import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Per-client context: the client bound in a {@link ScopedValue}, serviceInit's bindings, and attributes. */
@Timeout(20)
class ClientContextTest {

    private static final ScopedValue<String> SERVICE_NAME = ScopedValue.newInstance();

    private static final AttributeKey<String> NAME = AttributeKey.of("name", String.class);

    @TempDir
    Path dir;

    @Test
    void currentClientIsReachableFromCodeTheHandlerCalls() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            client.send(describeCurrentClient() + " same=" + (StreamClient.current() == client));
        };
        try (var server = startLines(dir, handler); var first = lineClient(server); var second = lineClient(server)) {
            first.send("x");
            assertThat(first.receive()).isEqualTo("client#1 same=true");
            second.send("x");
            assertThat(second.receive()).isEqualTo("client#2 same=true");
        }
    }

    @Test
    void currentClientOutsideAConnectionFailsWithAClearMessage() {
        assertThat(StreamClient.currentIfAny()).isEmpty();
        assertThatThrownBy(StreamClient::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no client is being served on this thread");
    }

    @Test
    void valuesBoundInServiceInitAreBoundOnEveryClientThread() throws Exception {
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.bind(SERVICE_NAME, "inventory");
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                client.send(SERVICE_NAME.get() + " for " + client.id());
            }
        };
        try (var server = startLines(dir, handler); var first = lineClient(server); var second = lineClient(server)) {
            first.send("x");
            second.send("x");
            assertThat(first.receive()).isEqualTo("inventory for client#1");
            assertThat(second.receive()).isEqualTo("inventory for client#2");
        }
    }

    @Test
    void attributesSetInOnConnectionAreSeenByThatClientsHandleAndOnDisconnectionOnly() throws Exception {
        List<String> disconnected = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.attributes().set(NAME, requests.receive());
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                client.send("I am " + StreamClient.current().attributes().get(NAME));
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                disconnected.add(client.attributes().get(NAME));
            }
        };
        try (var server = startLines(dir, handler)) {
            try (var ann = lineClient(server); var bob = lineClient(server)) {
                ann.send("ann");
                bob.send("bob");
                ann.send("who?");
                bob.send("who?");
                assertThat(ann.receive()).isEqualTo("I am ann");
                assertThat(bob.receive()).isEqualTo("I am bob");
            }
            await().until(() -> disconnected.size() == 2);
            assertThat(disconnected).containsExactlyInAnyOrder("ann", "bob");
        }
    }

    private static String describeCurrentClient() {
        return StreamClient.current().id();
    }
}
