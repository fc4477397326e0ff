package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs handler-model.md's {@link RoomHandler} over real sockets: every hook, the scoped value and the heartbeat. */
@Timeout(30)
class RoomHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void membersJoinChatAndLeaveThroughTheHandshakeTheRoundsAndOnDisconnection() throws Exception {
        try (var server = start(Duration.ofHours(1)); var alice = connect(); var bob = connect()) {
            join(alice, "alice");
            assertThat(alice.receive(WAIT)).isEqualTo("* alice joined lobby");
            join(bob, "bob");
            assertThat(alice.receive(WAIT)).isEqualTo("* bob joined lobby");
            assertThat(bob.receive(WAIT)).isEqualTo("* bob joined lobby");

            alice.send("hi");
            assertThat(alice.receive(WAIT)).isEqualTo("alice: hi");
            assertThat(bob.receive(WAIT)).isEqualTo("alice: hi");

            bob.send("/quit");
            assertThat(catchThrowable(() -> bob.receive(WAIT))).isInstanceOf(EOFException.class);
            assertThat(alice.receive(WAIT)).isEqualTo("* bob left");
        }
    }

    @Test
    void theHeartbeatReachesMembersUntilTheServerStops() throws Exception {
        var server = start(Duration.ofMillis(50));
        try (var carol = connect()) {
            join(carol, "carol");
            assertThat(carol.receive(WAIT)).isEqualTo("* carol joined lobby");
            assertThat(carol.receive(WAIT)).isEqualTo("* ping");
            server.stop(WAIT);
            assertThat(server.isServing()).isFalse();
        } finally {
            server.close();
        }
    }

    private AsyncUnixStreamServer<String, String> start(Duration heartbeat) throws Exception {
        Path path = dir.resolve("room.sock");
        // tag::serve-room[]
        var server = new AsyncUnixStreamServer<>(path, StreamProtocol.of(new LineSerializer()),
                new RoomHandler(heartbeat));
        server.start();
        // end::serve-room[]
        return server;
    }

    private UnixStreamClient<String, String> connect() throws Exception {
        return UnixStreamClient.connect(dir.resolve("room.sock"), StreamProtocol.of(new LineSerializer()));
    }

    private static void join(UnixStreamClient<String, String> client, String nick) throws Exception {
        assertThat(client.receive(WAIT)).isEqualTo("nick?");
        client.send(nick);
    }
}
