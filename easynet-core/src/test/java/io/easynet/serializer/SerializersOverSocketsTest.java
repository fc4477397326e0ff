package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Every serializer end to end over a real Unix socket: a client sends packets in one burst, an echo server
 * decodes and re-encodes them, and the client gets the same packets back; a bad packet in the middle is answered
 * with the parse error's reason and the packets after it still come back.
 */
@Timeout(20)
class SerializersOverSocketsTest {

    record Reading(@StructField("8s") String sensor, @StructField("i") int value, @StructField("?") boolean ok) {
    }

    @TempDir
    Path dir;

    static Stream<Arguments> serializers() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        List<JsonNode> documents = List.of(nodes.objectNode().put("a", "\u00e9t\u00e9").put("n", 1.5),
                nodes.arrayNode().add(1).add("two").addNull(), nodes.stringNode("bare"), nodes.numberNode(42));
        return Stream.of(
                Arguments.of("json lines", JsonSerializer.tree(), documents),
                Arguments.of("json without lines", JsonSerializer.builder(JsonNode.class).useLines(false).build(),
                        documents),
                Arguments.of("utf-8 lines", new LineSerializer(), List.of("caf\u00e9", "", "x".repeat(5000))),
                Arguments.of("length-prefixed json, 2-byte little-endian",
                        LengthPrefixedSerializer.of(JsonSerializer.tree()).withPrefix(2, ByteOrder.LITTLE_ENDIAN),
                        documents),
                Arguments.of("struct", StructSerializer.of(Reading.class),
                        List.of(new Reading("t1", -5, true), new Reading("caf\u00e9", 7, false))),
                Arguments.of("cbor", CborSerializer.tree(), documents),
                Arguments.of("smile", SmileSerializer.tree(), documents),
                Arguments.of("base64 of zlib of json",
                        Base64Serializer.builder(CompressedSerializer.zlib(JsonSerializer.tree())).checksum().build(),
                        documents),
                Arguments.of("gzip of lines", CompressedSerializer.gzip(new LineSerializer()),
                        List.of("one", "two")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serializers")
    <T> void packetsComeBackUnchangedThroughAnEchoServer(String name, StreamSerializer<T> serializer,
            List<T> packets) throws Exception {
        StreamRequestHandler<T, T> echo = (client, requests) -> client.send(requests.receive());
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("echo.sock"), StreamProtocol.of(serializer), echo,
                ServerOptions.defaults())) {
            server.start();
            try (var client = UnixStreamClient.connect(server.path(), StreamProtocol.of(serializer))) {
                for (T packet : packets) {
                    client.send(packet);
                }
                List<T> echoed = new ArrayList<>();
                for (int i = 0; i < packets.size(); i++) {
                    echoed.add(client.receive());
                }
                assertThat(echoed).isEqualTo(packets);
            }
        }
    }

    static Stream<Arguments> badPackets() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode small = nodes.objectNode().put("a", 1);
        JsonNode large = nodes.stringNode("z".repeat(200));
        byte[] badUtf8Struct = new byte[13];
        java.util.Arrays.fill(badUtf8Struct, 0, 8, (byte) 0xFF);
        return Stream.of(
                Arguments.of("json lines", JsonSerializer.tree(), small, ascii("{bad\n"), "INVALID_PACKET"),
                Arguments.of("json without lines", JsonSerializer.builder(JsonNode.class).useLines(false).build(),
                        small, encode(JsonSerializer.tree(), large), "PACKET_TOO_LARGE"),
                Arguments.of("utf-8 lines", new LineSerializer(), "fine", new byte[] {(byte) 0xFF, '\n'},
                        "INVALID_PACKET"),
                Arguments.of("length-prefixed json", LengthPrefixedSerializer.of(JsonSerializer.tree()), small,
                        encode(LengthPrefixedSerializer.of(JsonSerializer.tree()), large), "PACKET_TOO_LARGE"),
                Arguments.of("struct", StructSerializer.of(Reading.class), new Reading("t1", 3, true),
                        badUtf8Struct, "INVALID_PACKET"),
                Arguments.of("cbor", CborSerializer.tree(), small, encode(CborSerializer.tree(), large),
                        "PACKET_TOO_LARGE"),
                Arguments.of("smile", SmileSerializer.tree(), small, encode(SmileSerializer.tree(), large),
                        "PACKET_TOO_LARGE"),
                Arguments.of("base64 of json", new Base64Serializer<>(JsonSerializer.tree()), small,
                        ascii("!!!!\r\n"), "INVALID_PACKET"),
                Arguments.of("gzip of lines", CompressedSerializer.gzip(new LineSerializer()), "fine",
                        encode(CompressedSerializer.gzip(new LineSerializer()), "y".repeat(200)),
                        "PACKET_TOO_LARGE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPackets")
    <T> void aBadPacketIsReportedAtTheReceivePointAndThePacketsAfterItStillArrive(String name,
            StreamSerializer<T> serializer, T good, byte[] bad, String reason) throws Exception {
        StreamRequestHandler<T, String> reportErrors = (client, requests) -> {
            try {
                requests.receive();
                client.send("ok");
            } catch (StreamProtocolParseException e) {
                client.send(e.reason().name());
            }
        };
        var protocol = StreamProtocol.of(new LineSerializer(), serializer);
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("errors.sock"), protocol, reportErrors,
                ServerOptions.builder().maxPacketSize(64).build())) {
            server.start();
            var raw = StreamProtocol.of(RawSerializer.INSTANCE, new LineSerializer());
            try (var client = UnixStreamClient.connect(server.path(), raw)) {
                byte[] goodBytes = encode(serializer, good);
                client.send(concat(goodBytes, bad, goodBytes));
                List<String> answers = List.of(client.receive(), client.receive(), client.receive());
                assertThat(answers).containsExactly("ok", reason, "ok");
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static <T> byte[] encode(StreamSerializer<T> serializer, T packet) {
        var out = new io.easynet.protocol.PacketBuffer(64);
        serializer.encode(packet, out);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new io.easynet.protocol.PacketBuffer(256);
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
