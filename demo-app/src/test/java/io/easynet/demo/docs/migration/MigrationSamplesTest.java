package io.easynet.demo.docs.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples of {@code docs/migrating-from-easynetwork.md}, each served on a real socket and driven by a client,
 * so that what the guide shows compiles and does what the guide says.
 */
@Timeout(30)
class MigrationSamplesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void theServerSampleServesASessionFromLoginToQuit() throws Exception {
        // tag::server[]
        var server = new AsyncUnixStreamServer<>(
                dir.resolve("app.sock"),                       // path
                StreamProtocol.of(JsonSerializer.tree()),      // protocol: StreamProtocol(JSONSerializer())
                new SessionHandler(Duration.ofSeconds(30)),    // request_handler: one instance for all clients
                ServerOptions.builder()
                        .backlog(100)                          // backlog=100
                        .socketFileMode(0660)                  // mode=0o660
                        .receiveBufferSize(16 * 1024)          // max_recv_size
                        .logClientConnections(true)            // log_client_connection=True
                        .build());
        server.start();                                        // returns once listening (serve_forever's is_up_event)
        // end::server[]
        try {
            assertThat(Files.getPosixFilePermissions(dir.resolve("app.sock")))
                    .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString(
                            "rw-rw----"));
            // tag::client[]
            JsonNode hello;
            JsonNode welcome;
            try (var client = UnixStreamClient.connect(dir.resolve("app.sock"),       // UnixStreamClient(path,
                    StreamProtocol.of(JsonSerializer.tree()))) {                       //   protocol)
                hello = client.receive(Duration.ofSeconds(5));                         // recv_packet(timeout=5)
                client.send(JsonMapper.shared().readTree("{\"user\":\"ada\"}"));       // send_packet({...})
                welcome = client.receive(Duration.ofSeconds(5));
            }
            // end::client[]
            assertThat(hello.toString()).isEqualTo("{\"hello\":\"who are you?\"}");
            assertThat(welcome.toString()).isEqualTo("{\"welcome\":\"ada\"}");
            try (var client = lines(dir.resolve("app.sock"))) {
                assertThat(client.receive(TIMEOUT)).isEqualTo("{\"hello\":\"who are you?\"}");
                client.send("{\"user\":\"bob\"}");
                assertThat(client.receive(TIMEOUT)).isEqualTo("{\"welcome\":\"bob\"}");
                client.send("[1,2]");
                assertThat(client.receive(TIMEOUT)).isEqualTo("{\"user\":\"bob\",\"echo\":[1,2]}");
                client.send("{oops");
                assertThat(client.receive(TIMEOUT)).isEqualTo("{\"error\":\"INVALID_PACKET\"}");
                client.send("{\"quit\":true}");
                assertThat(client.receive(TIMEOUT)).isEqualTo("{\"bye\":\"bob\"}");
                assertThatThrownBy(() -> client.receive(TIMEOUT)).isInstanceOf(EOFException.class);
            }
        } finally {
            // tag::stop[]
            server.stop(Duration.ofSeconds(10));   // shutdown(): stop accepting, let busy handlers finish, close
            // end::stop[]
        }
        assertThat(dir.resolve("app.sock")).doesNotExist();
    }

    @Test
    void aLoginWithoutAUserClosesTheConnectionBeforeAnyRound() throws Exception {
        try (var server = start(new SessionHandler(Duration.ofSeconds(30)), ServerOptions.defaults());
                var client = lines(server.path())) {
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"hello\":\"who are you?\"}");
            client.send("{\"name\":\"nobody\"}");
            assertThatThrownBy(() -> client.receive(TIMEOUT)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aRoundThatTimesOutIsAnsweredAndTheSessionGoesOn() throws Exception {
        try (var server = start(new SessionHandler(Duration.ofMillis(200)), ServerOptions.defaults());
                var client = lines(server.path())) {
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"hello\":\"who are you?\"}");
            client.send("{\"user\":\"cy\"}");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"welcome\":\"cy\"}");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"error\":\"too slow\"}");
            client.send("\"still here\"");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"user\":\"cy\",\"echo\":\"still here\"}");
        }
    }

    @Test
    void serviceInitSeesTheListenerRunsATaskBindsTheServiceNameAndCleansUpAtStop() throws Exception {
        var handler = new TickerHandler();
        var server = start(handler, ServerOptions.defaults());
        try (var first = lines(server.path()); var second = lines(server.path())) {
            first.send("1");
            assertThat(first.receive(TIMEOUT)).isEqualTo("{\"from\":\"ticker/client#1\",\"echo\":1}");
            second.send("2");
            assertThat(second.receive(TIMEOUT)).isEqualTo("{\"from\":\"ticker/client#2\",\"echo\":2}");
            await().atMost(TIMEOUT).until(() -> handler.ticks() > 2);
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(handler.events()).hasSize(2);
        assertThat(handler.events().getFirst()).matches("listener SO_RCVBUF [1-9][0-9]*");
        assertThat(handler.events().getLast()).isEqualTo("service stopped");
    }

    @Test
    void descriptorsArriveWithTheirRequestAndTheFirstIsPassedBack() throws Exception {
        Path file = Files.writeString(dir.resolve("note.txt"), "passed along\n");
        var options = ServerOptions.builder().ancillaryBufferSize(Ancillary.bufferSizeFor(4)).build();
        try (var server = start(new DescriptorHandler(), options);
                var client = UnixStreamClient.connect(server.path(), StreamProtocol.of(new LineSerializer()),
                        ClientOptions.defaults().withAncillaryBufferSize(Ancillary.bufferSizeFor(4)));
                var in = new FileInputStream(file.toFile())) {
            client.sendWithAncillary("{}", Ancillary.rights(in.getFD(), in.getFD()));
            Received<String> answer = client.receiveWithAncillary(TIMEOUT);
            try (FileDescriptors descriptors = answer.descriptors();
                    InputStream back = descriptors.takeInputStream(0)) {
                assertThat(answer.packet()).isEqualTo("{\"descriptors\":2}");
                assertThat(descriptors.size()).isOne();
                assertThat(new String(back.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("passed along\n");
            }
            client.send("{}");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"descriptors\":0}");
        }
    }

    @Test
    void theJsonSettingsThatMatchEasyNetworkWriteWhatPythonsJsonDumpsWrites() throws Exception {
        // tag::json-settings[]
        JsonSerializer<JsonNode> json = JsonSerializer.builder(JsonNode.class)  // JSONSerializer(
                .ensureAscii(true)                                                //   ensure_ascii=True,
                .useLines(true)                                                   //   use_lines=True)
                .build();                                                         // = JsonSerializer.tree()
        var options = ServerOptions.builder().maxPacketSize(64 * 1024).build(); // the serializer's limit
        // end::json-settings[]
        JsonNode value = JsonMapper.shared().readTree("{\"a\": \"\u00e9\", \"b\": [1, 2.5, null, true, 1e16]}");
        // json.dumps({"a": "é", "b": [1, 2.5, None, True, 1e16]}, separators=(",", ":")) + "\n"
        String python = "{\"a\":\"\\u00e9\",\"b\":[1,2.5,null,true,1e+16]}";
        assertThat(new String(json.serialize(value), StandardCharsets.US_ASCII)).isEqualTo(python);
        assertThat(new String(JsonSerializer.tree().serialize(value), StandardCharsets.US_ASCII)).isEqualTo(python);
        assertThat(options.maxPacketSize()).isEqualTo(ServerOptions.DEFAULT_MAX_PACKET_SIZE);
        try (var server = start((client, requests) -> client.send(requests.receive()), ServerOptions.defaults());
                var client = lines(server.path())) {
            client.send(python);
            assertThat(client.receive(TIMEOUT)).isEqualTo(python);
        }
    }

    private AsyncUnixStreamServer<JsonNode, JsonNode> start(
            io.easynet.server.StreamRequestHandler<JsonNode, JsonNode> handler, ServerOptions options)
            throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("s.sock"), StreamProtocol.of(JsonSerializer.tree()),
                handler, options);
        server.start();
        return server;
    }

    private static UnixStreamClient<String, String> lines(Path path) throws Exception {
        return UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer()));
    }
}
