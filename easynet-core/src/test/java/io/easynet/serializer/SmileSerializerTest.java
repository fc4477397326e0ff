package io.easynet.serializer;

import static io.easynet.serializer.BinaryFormats.bytes;
import static io.easynet.serializer.BinaryFormats.concat;
import static io.easynet.serializer.BinaryFormats.encode;
import static io.easynet.serializer.BinaryFormats.hex;
import static io.easynet.serializer.BinaryFormats.oneShot;
import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.dataformat.smile.SmileMapper;
import tools.jackson.dataformat.smile.SmileReadFeature;
import tools.jackson.dataformat.smile.SmileWriteFeature;

class SmileSerializerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The Smile header: {@code :)\n}, then version 0 with shared property names on. */
    private static final String HEADER = "3a290a01";

    record Point(int x, String label) {
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void everyPacketIsAWholeSmileDocumentWithItsHeader() {
        // 42: a 32-bit int token (0x24) and the zigzag VInt of 84; {"a":1}: start object, a one-byte ASCII name,
        // the small int 1 (0xc0 + zigzag 2), end object.
        assertThat(hex(encode(SmileSerializer.tree(), NODES.numberNode(42)))).isEqualTo(HEADER + "240194");
        assertThat(hex(encode(SmileSerializer.tree(), NODES.objectNode().put("a", 1))))
                .isEqualTo(HEADER + "fa8061c2fb");
    }

    @Test
    void headerIsWrittenEvenWhenTheMapperTurnsItOff() {
        SmileMapper headerless = SmileMapper.builder().disable(SmileWriteFeature.WRITE_HEADER).build();

        assertThat(hex(encode(SmileSerializer.of(headerless, Integer.class), 42))).isEqualTo(HEADER + "240194");
    }

    @Test
    void namesAreNotBackReferencedAcrossPacketsSoEachPacketDecodesAlone() throws DeserializeException {
        SmileSerializer<JsonNode> serializer = SmileSerializer.tree();
        PacketBuffer out = new PacketBuffer(0);
        JsonNode document = NODES.objectNode().put("name", 1);

        serializer.encode(document, out);
        int first = out.size();
        serializer.encode(document, out);

        byte[] bytes = out.toByteArray();
        assertThat(Arrays.copyOfRange(bytes, first, bytes.length)).isEqualTo(Arrays.copyOf(bytes, first));
        assertThat(serializer.deserialize(bytes, first, bytes.length - first)).isEqualTo(document);
    }

    @Test
    void unencodableTextIsIllegalArgumentAndLeavesTheBufferAtItsPreviousSize() {
        PacketBuffer out = new PacketBuffer(0);
        out.write(7);

        assertThatThrownBy(() -> SmileSerializer.tree().encode(NODES.stringNode("a\uD800"), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write [simple type, class tools.jackson.databind.JsonNode] as Smile: ");
        assertThat(out.toByteArray()).containsExactly(7);
    }

    @Test
    void roundTripsARecord() throws DeserializeException {
        SmileSerializer<Point> serializer = SmileSerializer.of(Point.class);

        byte[] bytes = serializer.serialize(new Point(-3, "né"));

        assertThat(serializer.deserialize(bytes, 0, bytes.length)).isEqualTo(new Point(-3, "né"));
    }

    // ---- one-shot errors ---------------------------------------------------------------------------------

    @Test
    void oneShotRefusesExtraDataATruncatedDocumentAndNoBytesAtAll() {
        SmileSerializer<JsonNode> serializer = SmileSerializer.tree();

        assertThatThrownBy(() -> oneShot(serializer, HEADER + "c2" + HEADER + "c4"))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("extra data after the Smile value in \":)\\x0a\\x01\\xc2:)\\x0a\\x01\\xc4\"");
        assertThatThrownBy(() -> oneShot(serializer, HEADER + "f8c2"))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid Smile: ")
                .hasMessageContaining("end-of-input")
                .hasCauseInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> serializer.deserialize(new byte[2], 1, 0))
                .hasMessage("no bytes where a Smile value was expected");
    }

    // ---- stream decoding ---------------------------------------------------------------------------------

    @Test
    void documentsBackToBackInOneChunkDecodeOneAtATime() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes(HEADER + "240194" + HEADER + "fa8061c2fb" + HEADER + "21" + HEADER + "f8")))
                .containsExactly(packet(NODES.numberNode(42)), packet(NODES.objectNode().put("a", 1)),
                        packet(NullNode.getInstance()));
        assertThat(feeder.buffered()).as("the start of an unfinished array").isEqualTo(5);
    }

    @Test
    void documentFedByteByByteDecodesExactlyOnceWhenItsLastByteArrives() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));
        JsonNode document = NODES.objectNode().put("key", "valué").set("n", NODES.arrayNode().add(1).add(2.5));
        byte[] bytes = SmileSerializer.tree().serialize(document);

        assertThat(feeder.feedByteByByte(Arrays.copyOf(bytes, bytes.length - 1))).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(bytes.length - 1);

        assertThat(feeder.feed(new byte[] {bytes[bytes.length - 1]})).containsExactly(packet(document));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void bytesThatAreNotSmileAreInvalidAndDecodingResumesAfterThem() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes(HEADER + "c2" + "7b" + HEADER + "c4")))
                .containsExactly(packet(NODES.numberNode(1)), failure(Reason.INVALID_PACKET, 5),
                        packet(NODES.numberNode(2)));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("malformed Smile at byte 0 of the value: ")
                .hasMessageContaining("does not start with Smile format header")
                .hasMessageEndingWith("; skipped 1 bytes \"{\" (packet at stream offset 5)");
    }

    @Test
    void endOfContentMarkerAfterADocumentIsInvalidAndTheNextDocumentStillDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes(HEADER + "c2" + "ff" + HEADER + "c4")))
                .containsExactly(packet(NODES.numberNode(1)), failure(Reason.INVALID_PACKET, 5),
                        packet(NODES.numberNode(2)));
        assertThat(feeder.failures().getFirst()).hasMessageContaining("(first byte = 0xff)")
                .hasMessageEndingWith("; skipped 1 bytes \"\\xff\" (packet at stream offset 5)");
    }

    @Test
    void endOfContentMarkerIsInvalidAlsoWhenTheMapperDoesNotRequireHeaders() {
        SmileMapper lenient = SmileMapper.builder().disable(SmileReadFeature.REQUIRE_HEADER).build();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.of(lenient, JsonNode.class)
                .newDecoder(1024));

        assertThat(feeder.feed(bytes("c2" + "ff" + HEADER + "c4")))
                .containsExactly(packet(NODES.numberNode(1)), failure(Reason.INVALID_PACKET, 1),
                        packet(NODES.numberNode(2)));
        assertThat(feeder.failures().getFirst()).hasMessage("malformed Smile at byte 0 of the value: "
                + "end-of-content marker where a document was expected; skipped 1 bytes \"\\xff\" (packet at "
                + "stream offset 1)");
    }

    @Test
    void documentThatDoesNotFitTheRecordIsInvalidAndTheNextDocumentStillDecodes() {
        SmileSerializer<Point> serializer = SmileSerializer.of(Point.class);
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));
        byte[] bad = SmileSerializer.tree().serialize(NODES.objectNode().put("x", "three"));

        assertThat(feeder.feed(concat(bad, serializer.serialize(new Point(3, "b")))))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Point(3, "b")));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid Smile: ")
                .hasMessageEndingWith(" (packet at stream offset 0)")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void documentOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(16));
        // header (4), short ASCII string token (1), then the characters
        byte[] fits = encode(SmileSerializer.tree(), NODES.stringNode("a".repeat(11)));
        byte[] over = encode(SmileSerializer.tree(), NODES.stringNode("a".repeat(12)));

        assertThat(fits).hasSize(16);
        assertThat(feeder.feed(concat(fits, over, encode(SmileSerializer.tree(), NODES.numberNode(0)))))
                .containsExactly(packet(NODES.stringNode("a".repeat(11))), failure(Reason.PACKET_TOO_LARGE, 16),
                        packet(NODES.numberNode(0)));
        assertThat(feeder.failures().getFirst()).hasMessage("Smile value of 17 bytes is larger than the 16-byte "
                + "limit; skipped (packet at stream offset 16)");
    }

    @Test
    void oversizeDocumentIsReportedOnceAsSoonAsItPassesTheLimitAndSkippedWithoutBeingBuffered() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(16));
        JsonNode big = NODES.objectNode().put("text", "x".repeat(1000));
        byte[] oversize = encode(SmileSerializer.tree(), big);

        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < oversize.length; i += 7) {
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(oversize, i, Math.min(oversize.length, i + 7))));
            if (i == 14) {
                assertThat(outcomes).as("reported at the 17th byte").hasSize(1);
            }
            assertThat(feeder.buffered()).isLessThanOrEqualTo(16);
        }
        outcomes.addAll(feeder.feed(encode(SmileSerializer.tree(), NODES.numberNode(5))));

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet(NODES.numberNode(5)));
        assertThat(feeder.failures().getFirst()).hasMessage("Smile value of at least 21 bytes is larger than the "
                + "16-byte limit; the rest of it is skipped as it arrives (packet at stream offset 0)");
    }

    @Test
    void namesItsTypeInToString() {
        assertThat(SmileSerializer.of(Point.class)).hasToString("SmileSerializer[[simple type, class "
                + Point.class.getName() + "]]");
    }
}
