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

    // ---- crafted input -----------------------------------------------------------------------------------

    /** The unsigned VInt Smile writes for lengths: 7 bits a byte, big-endian, the last byte 6 bits with 0x80 set. */
    private static String vint(long value) {
        StringBuilder out = new StringBuilder(String.format("%02x", 0x80 | (int) (value & 0x3F)));
        for (long rest = value >>> 6; rest > 0; rest >>>= 7) {
            out.insert(0, String.format("%02x", (int) (rest & 0x7F)));
        }
        return out.toString();
    }

    @Test
    void craftedNumbersAndLengthsAreOneOutcomeEachAndTheNextDocumentDecodes() {
        // an empty BigInteger and an empty BigDecimal: Jackson's non-blocking parser threw NumberFormatException on
        // them, its blocking parser, which binds, reads them as zero (jackson-dataformats-binary#257)
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes(HEADER + "2680" + HEADER + "c4" + HEADER + "2a8080" + HEADER + "c4")))
                .containsExactly(packet(NODES.numberNode(java.math.BigInteger.ZERO)), packet(NODES.numberNode(2)),
                        packet(NODES.numberNode(java.math.BigDecimal.ZERO)), packet(NODES.numberNode(2)));

        // a raw binary of 3e9 bytes, past what an int holds: the non-blocking parser threw
        // NegativeArraySizeException; a length of more than 31 bits is malformed, up to its last byte
        String tooLong = HEADER + "fd" + vint(3_000_000_000L);
        assertThat(feeder.feed(bytes(tooLong + HEADER + "c4")))
                .containsExactly(failure(Reason.INVALID_PACKET, 23), packet(NODES.numberNode(2)));
        assertThat(feeder.failures().getFirst()).hasMessageContaining("length 3000000000 is more than");
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void oneShotTurnsWhatTheParserThrowsOnCraftedLengthsIntoADeserializeException() {
        assertThatThrownBy(() -> oneShot(SmileSerializer.tree(), HEADER + "fd" + vint(3_000_000_000L)))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid Smile: ");
    }

    @Test
    void hugeDeclaredBinaryIsNotAllocatedAndIsTooLargeOnceTheLimitIsPassed() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));
        byte[] head = bytes(HEADER + "fd" + vint(300_000_000L));
        byte[] chunk = new byte[256];
        feeder.feed(new byte[0]);

        long before = threads.getCurrentThreadAllocatedBytes();
        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>(feeder.feed(head));
        for (int i = 0; i < 8; i++) {
            outcomes.addAll(feeder.feed(chunk));
            assertThat(feeder.buffered()).isLessThanOrEqualTo(1024);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void mapperThatWritesEndMarkersStillRoundTrips() {
        SmileMapper marking = SmileMapper.builder().enable(SmileWriteFeature.WRITE_END_MARKER).build();
        SmileSerializer<JsonNode> serializer = SmileSerializer.of(marking, JsonNode.class);
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));
        JsonNode document = NODES.objectNode().put("a", 1);

        assertThat(hex(encode(serializer, NODES.numberNode(42)))).isEqualTo(HEADER + "240194");
        assertThat(feeder.feed(concat(serializer.serialize(document), serializer.serialize(document))))
                .containsExactly(packet(document), packet(document));
    }

    @Test
    void everyKindOfTokenIsFollowedByteByByte() {
        SmileMapper sharing = SmileMapper.builder().enable(SmileWriteFeature.CHECK_SHARED_STRING_VALUES)
                .disable(SmileWriteFeature.ENCODE_BINARY_AS_7BIT).build();
        tools.jackson.databind.node.ObjectNode document = NODES.objectNode();
        document.put("", "").putNull("null").put("t", true).put("f", false).put("int", 123_456)
                .put("long", 1L << 40).put("big", new java.math.BigInteger("123456789012345678901234567890"))
                .put("dec", new java.math.BigDecimal("-1234567890.0987654321e-7")).put("float", 1.5f)
                .put("double", -2.25).put("tiny", "abc").put("short", "s".repeat(40)).put("long text",
                        "l".repeat(100)).put("tinyé", "é").put("short unicode", "é".repeat(20))
                .put("long unicode", "é".repeat(100)).put("é".repeat(40), 1)
                .put("bin", new byte[] {1, 2, -3, 4, 5, 6, 7, 8, 9})
                .put("small", -16);
        tools.jackson.databind.node.ArrayNode repeated = document.putArray("repeated");
        for (int i = 0; i < 80; i++) {
            repeated.addObject().put("k" + i, "v" + i).putArray("e").addObject();
            repeated.add("v" + i);
        }
        for (SmileSerializer<JsonNode> serializer : List.of(SmileSerializer.tree(),
                SmileSerializer.of(sharing, JsonNode.class))) {
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(1 << 16));
            byte[] bytes = serializer.serialize(document);

            assertThat(feeder.feedByteByByte(concat(bytes, bytes))).containsExactly(packet(document),
                    packet(document));
        }
    }

    @Test
    void bytesThatAreNoTokenAreInvalidAtThatByte() {
        // 0x27 is reserved in value mode, 0x21 is no key, 0xf9 closes no array
        for (String bad : List.of(HEADER + "f8c227", HEADER + "fa21", HEADER + "f9", HEADER + "00", "3a2978")) {
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.tree().newDecoder(1024));

            assertThat(feeder.feed(bytes(bad + HEADER + "c4"))).as(bad)
                    .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.numberNode(2)));
        }
    }

    @Test
    void nestingDeeperThanTheMapperAllowsIsInvalid() {
        SmileMapper shallow = SmileMapper.builder(new tools.jackson.dataformat.smile.SmileFactoryBuilder(
                new tools.jackson.dataformat.smile.SmileFactory()).streamReadConstraints(
                        tools.jackson.core.StreamReadConstraints.builder().maxNestingDepth(2).build()).build())
                .build();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(SmileSerializer.of(shallow, JsonNode.class)
                .newDecoder(1024));

        assertThat(feeder.feed(bytes(HEADER + "f8f8f8" + HEADER + "f8f8f9f9")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0),
                        packet(NODES.arrayNode().add(NODES.arrayNode())));
    }

    @Test
    void namesItsTypeInToString() {
        assertThat(SmileSerializer.of(Point.class)).hasToString("SmileSerializer[[simple type, class "
                + Point.class.getName() + "]]");
    }
}
