package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Wrappers stacked on each other. Expected tokens were computed with Python 3.11, as EasyNetwork composes
 * {@code Base64EncoderSerializer(ZlibCompressorSerializer(JSONSerializer()))}:
 * {@code base64.urlsafe_b64encode(zlib.compress(json.dumps(obj, separators=(",", ":")).encode(), 9)) + b"\r\n"}.
 */
class WrapperCompositionTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Base64Serializer<JsonNode> JSON_ZLIB_BASE64 =
            new Base64Serializer<>(CompressedSerializer.zlib(JsonSerializer.tree()));

    @Test
    void jsonThenZlibThenBase64IsByteForByteWhatEasyNetworkSends() {
        ObjectNode document = NODES.objectNode();
        document.put("name", "caf\u00e9");
        document.putArray("list").add(1).add(2).add(3);
        document.putObject("nested").put("ok", true).putNull("none");

        assertThat(ascii(encode(JSON_ZLIB_BASE64, NODES.objectNode().put("a", 1))))
                .isEqualTo("eNqrVkpUsjKsBQAIKgIJ\r\n");
        assertThat(ascii(encode(JSON_ZLIB_BASE64, document))).isEqualTo("eNqrVspLzE1VslJKTkyLKTUwSLVU0lHKySwuUbKKN"
                + "tQx0jGO1VHKSy0uSU1RsqpWys9WsiopKk0FiuXnAXXllebk1NYCAMwTFbM=\r\n");
    }

    @Test
    void decodesEasyNetworksJsonZlibBase64Tokens() {
        ObjectNode document = NODES.objectNode();
        document.put("name", "caf\u00e9");
        document.putArray("list").add(1).add(2).add(3);
        document.putObject("nested").put("ok", true).putNull("none");
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JSON_ZLIB_BASE64.newDecoder(1024));

        assertThat(feeder.feedByteByByte(bytes("eNqrVkpUsjKsBQAIKgIJ\r\neNqrVspLzE1VslJKTkyLKTUwSLVU0lHKySwuUbKKNtQ"
                + "x0jGO1VHKSy0uSU1RsqpWys9WsiopKk0FiuXnAXXllebk1NYCAMwTFbM=\r\n")))
                .containsExactly(packet(NODES.objectNode().put("a", 1)), packet(document));
    }

    @Test
    void zipBombInsideATokenIsTooLargeForTheConnectionsLimitAndTheNextTokenDecodes() {
        String bomb = ascii(encode(new Base64Serializer<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)),
                "\0".repeat(10_000_000)));
        assertThat(bomb.length()).as("the token itself is well under the limit").isLessThan(16_000);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(
                new Base64Serializer<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)).newDecoder(64 * 1024));

        assertThat(feeder.feed(bomb + "eNrLywcAAU0A3g==\r\n")).as("the second token is zlib.compress(b'no')")
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet("no"));
        assertThat(feeder.failures().getFirst()).hasMessage("zlib data inflates to more than the 65536-byte limit "
                + "(packet at stream offset 0)");
    }

    @Test
    void limitReachesACompressedLayerNestedInsideABase64LayerInsideACompressedStream() {
        var nested = CompressedSerializer.zlib(
                new Base64Serializer<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)));
        PacketBuffer stream = new PacketBuffer(0);
        nested.encode("x".repeat(5000), stream);
        nested.encode("small", stream);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(nested.newDecoder(1000));

        assertThat(feeder.feed(stream.toByteArray()))
                .as("the outer stream inflates to a short token, the inner one to more than the limit")
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet("small"));
    }

    @Test
    void oneShotDeserializeOfACompositionBoundsTheInflatedSizeTo64KiB() throws Exception {
        Base64Serializer<String> serializer = new Base64Serializer<>(
                CompressedSerializer.zlib(Latin1Serializer.INSTANCE));
        byte[] fits = serializer.serialize("a".repeat(64 * 1024));
        byte[] tooLarge = serializer.serialize("a".repeat(64 * 1024 + 1));

        assertThat(serializer.deserialize(fits, 0, fits.length)).hasSize(64 * 1024);
        assertThatThrownBy(() -> serializer.deserialize(tooLarge, 0, tooLarge.length))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("zlib data inflates to more than the 65536-byte limit");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void anySequenceOfDocumentsSplitAnywhereRoundTripsThroughJsonZlibBase64(long seed) {
        Random random = new Random(seed);
        Base64Serializer<JsonNode> serializer = Base64Serializer.builder(
                CompressedSerializer.gzip(JsonSerializer.tree(), random.nextInt(10))).signedChecksum(
                Base64Serializer.generateKey()).build();
        PacketBuffer stream = new PacketBuffer(0);
        List<DecoderFeeder.Outcome> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObjectNode document = NODES.objectNode();
            document.put("id", i);
            document.put("text", Latin1Serializer.random(random, random.nextInt(500), random.nextBoolean()));
            serializer.encode(document, stream);
            expected.add(packet(document));
        }
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(64 * 1024));

        assertThat(RandomChunks.feed(feeder, stream.toByteArray(), random)).containsExactlyElementsOf(expected);
    }

    private static <T> byte[] encode(Base64Serializer<T> serializer, T packet) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(packet, out);
        return out.toByteArray();
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
