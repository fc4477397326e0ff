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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.cbor.CBORWriteFeature;

class CborSerializerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * What cbor2 5.x writes with EasyNetwork's defaults for {@code {"a": [1, b"x", "s", 1.5, 0.1, None, True, -1,
     * 2**64, nan]}}.
     */
    private static final String CBOR2_GOLDEN =
            "a161618a0141786173fb3ff8000000000000fb3fb999999999999af6f520c249010000000000000000f97e00";

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    record Point(int x, String label) {
    }

    /** A bean Jackson cannot write: its only property's getter throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("getter exploded");
        }
    }

    // ---- encoding: byte for byte as cbor2 ---------------------------------------------------------------------

    @Test
    void encodesTheGoldenTreeByteForByteAsCbor2ExceptNan() {
        ArrayNode a = goldenArray();

        assertThat(hex(encode(CborSerializer.tree(), NODES.objectNode().set("a", a))))
                .as("cbor2 writes NaN as the half-precision f97e00; Jackson writes doubles at full size")
                .isEqualTo(CBOR2_GOLDEN.replace("f97e00", "fb7ff8000000000000"));

        a.remove(9);
        assertThat(hex(encode(CborSerializer.tree(), NODES.objectNode().set("a", a))))
                .isEqualTo(CBOR2_GOLDEN.replace("8a01", "8901").replace("f97e00", ""));
    }

    /** Bytes worked out from cbor2's encoder with its defaults (shortest integer heads, doubles, bignum tags). */
    static Stream<Arguments> cbor2Encodings() {
        return Stream.of(
                Arguments.of(0, "00"), Arguments.of(23, "17"), Arguments.of(24, "1818"), Arguments.of(255, "18ff"),
                Arguments.of(256, "190100"), Arguments.of(65_536, "1a00010000"),
                Arguments.of(4_294_967_296L, "1b0000000100000000"),
                Arguments.of(Long.MAX_VALUE, "1b7fffffffffffffff"),
                Arguments.of(-1, "20"), Arguments.of(-24, "37"), Arguments.of(-25, "3818"),
                Arguments.of(-257, "390100"),
                Arguments.of(Long.MIN_VALUE, "3b7fffffffffffffff"),
                Arguments.of(BigInteger.valueOf(5), "05"),
                Arguments.of(BigInteger.ONE.shiftLeft(63), "1b8000000000000000"),
                Arguments.of(TWO_TO_THE_64.subtract(BigInteger.ONE), "1bffffffffffffffff"),
                Arguments.of(TWO_TO_THE_64, "c249010000000000000000"),
                Arguments.of(BigInteger.ONE.shiftLeft(72).subtract(BigInteger.ONE), "c249ffffffffffffffffff"),
                Arguments.of(TWO_TO_THE_64.negate().subtract(BigInteger.ONE), "c349010000000000000000"),
                Arguments.of(0.0, "fb0000000000000000"), Arguments.of(-0.0, "fb8000000000000000"),
                Arguments.of(1e300, "fb7e37e43c8800759c"), Arguments.of(-2.5, "fbc004000000000000"),
                Arguments.of(1.5f, "fb3ff8000000000000"),
                Arguments.of(new BigDecimal("1.5"), "c482200f"),
                Arguments.of(true, "f5"), Arguments.of(false, "f4"),
                Arguments.of("", "60"), Arguments.of("é", "62c3a9"), Arguments.of("😀", "64f09f9880"),
                Arguments.of("a".repeat(24), "7818" + "61".repeat(24)),
                Arguments.of("x".repeat(5000), "791388" + "78".repeat(5000)),
                Arguments.of("y".repeat(5000).toCharArray(), "791388" + "79".repeat(5000)),
                Arguments.of(new byte[0], "40"), Arguments.of(new byte[] {1, 2, 3}, "43010203"),
                Arguments.of(List.of(), "80"), Arguments.of(List.of(1, List.of("b")), "8201816162"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cbor2Encodings")
    void encodesValuesByteForByteAsCbor2(Object value, String cbor2) {
        assertThat(hex(encode(CborSerializer.of(Object.class), value))).isEqualTo(cbor2);
        assertThat(hex(encode(CborSerializer.tree(), NODES.pojoNode(value)))).isEqualTo(cbor2);
    }

    @Test
    void treesHaveDefiniteLengthMapsButMapsAndRecordsHaveIndefiniteLengthOnes() {
        ObjectNode tree = NODES.objectNode().put("x", 1).put("label", "p");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", 1);
        map.put("label", "p");

        assertThat(hex(encode(CborSerializer.tree(), tree))).isEqualTo("a261780165" + "6c6162656c" + "6170");
        assertThat(hex(encode(CborSerializer.of(Object.class), map))).isEqualTo("bf617801656c6162656c6170ff");
        assertThat(hex(encode(CborSerializer.of(Point.class), new Point(1, "p"))))
                .isEqualTo("bf617801656c6162656c6170ff");
    }

    @Test
    void longMapKeysHaveADefiniteLengthToo() {
        ObjectNode tree = NODES.objectNode().put("k".repeat(5000), 1);

        assertThat(hex(encode(CborSerializer.tree(), tree))).isEqualTo("a1791388" + "6b".repeat(5000) + "01");
    }

    @Test
    void integersFromMinusTwoToThe64ToMinusTwoToThe63MinusOneAreNegativeBignums() {
        // cbor2 writes -2**64 as 3bffffffffffffffff; Jackson has no way to write a 64-bit negative head.
        assertThat(hex(encode(CborSerializer.of(Object.class), TWO_TO_THE_64.negate())))
                .isEqualTo("c348ffffffffffffffff");
    }

    @Test
    void featuresOnTheApplicationsMapperThatWouldBreakCbor2CompatibilityAreOverridden() {
        CBORMapper mapper = CBORMapper.builder()
                .enable(CBORWriteFeature.WRITE_MINIMAL_DOUBLES)
                .enable(CBORWriteFeature.WRITE_TYPE_HEADER)
                .enable(CBORWriteFeature.STRINGREF)
                .disable(CBORWriteFeature.WRITE_MINIMAL_INTS)
                .build();

        assertThat(hex(encode(CborSerializer.of(mapper, Object.class), List.of(1.5, 7, "ab", "ab"))))
                .isEqualTo("84fb3ff800000000000007626162626162");
    }

    @Test
    void appendsAfterWhatTheBufferAlreadyHolds() {
        PacketBuffer out = new PacketBuffer(0);

        CborSerializer.tree().encode(NODES.numberNode(1), out);
        CborSerializer.tree().encode(NODES.arrayNode(), out);

        assertThat(hex(out.toByteArray())).isEqualTo("0180");
    }

    @Test
    void unencodableValueIsIllegalArgumentAndLeavesTheBufferAtItsPreviousSize() {
        PacketBuffer out = new PacketBuffer(0);
        out.write(0x01);

        assertThatThrownBy(() -> CborSerializer.of(Unwritable.class).encode(new Unwritable(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write [simple type, class " + Unwritable.class.getName()
                        + "] as CBOR: ")
                .hasMessageContaining("getter exploded")
                .hasCauseInstanceOf(JacksonException.class);
        assertThat(out.toByteArray()).containsExactly(0x01);
    }

    @ParameterizedTest(name = "{0} characters before it")
    @MethodSource("textLengths")
    void textWithALoneSurrogateIsRefusedAsCbor2RefusesIt(int before) {
        PacketBuffer out = new PacketBuffer(0);

        assertThatThrownBy(() -> CborSerializer.tree().encode(NODES.stringNode("a".repeat(before) + "\uD800"), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write [simple type, class tools.jackson.databind.JsonNode] as CBOR: ");
        assertThat(out.size()).isZero();
    }

    static Stream<Integer> textLengths() {
        return Stream.of(1, 5000);
    }

    // ---- decoding what cbor2 writes ------------------------------------------------------------------------

    @Test
    void decodesTheGoldenBytesOfCbor2() throws DeserializeException {
        JsonNode decoded = oneShot(CborSerializer.tree(), CBOR2_GOLDEN);

        ArrayNode a = goldenArray();
        a.remove(9);
        JsonNode nan = ((ArrayNode) decoded.get("a")).remove(9);
        assertThat(decoded).isEqualTo(NODES.objectNode().set("a", a));
        assertThat(nan.isNumber()).isTrue();
        assertThat(nan.doubleValue()).isNaN();
    }

    @Test
    void decodesTheGoldenBytesOfCbor2IntoPlainJavaObjects() throws DeserializeException {
        Object decoded = oneShot(CborSerializer.of(Object.class), CBOR2_GOLDEN);

        assertThat(decoded).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) ((Map<?, ?>) decoded).get("a");
        assertThat(a).hasSize(10);
        assertThat(a.get(1)).isEqualTo(new byte[] {'x'});
        assertThat(a.subList(2, 9)).containsExactly("s", 1.5, 0.1, null, true, -1, TWO_TO_THE_64);
        assertThat(a.get(0)).isEqualTo(1);
        assertThat(((Number) a.get(9)).doubleValue()).isNaN();
    }

    @Test
    void positiveBignumsWithTheTopBitSetArePositive() throws DeserializeException {
        BigInteger twoToThe72MinusOne = BigInteger.ONE.shiftLeft(72).subtract(BigInteger.ONE);
        BigInteger twoToThe127 = BigInteger.ONE.shiftLeft(127);

        assertThat(oneShot(CborSerializer.of(BigInteger.class), "c249ffffffffffffffffff"))
                .isEqualTo(twoToThe72MinusOne);
        assertThat(oneShot(CborSerializer.tree(), "82c25080000000000000000000000000000000c24180"))
                .isEqualTo(NODES.arrayNode().add(twoToThe127).add(BigInteger.valueOf(128)));
        assertThat(oneShot(CborSerializer.of(Object.class), "a16178c249ffffffffffffffffff"))
                .isEqualTo(Map.of("x", twoToThe72MinusOne));
        assertThat(oneShot(CborSerializer.of(BigDecimal.class), "c48221c249ffffffffffffffffff"))
                .isEqualTo(new BigDecimal(twoToThe72MinusOne, 2));
    }

    static Stream<Arguments> otherEncodingsCbor2Reads() {
        return Stream.of(
                Arguments.of("indefinite-length array", "9f0102ff", NODES.arrayNode().add(1).add(2)),
                Arguments.of("indefinite-length map", "bf616101ff", NODES.objectNode().put("a", 1)),
                Arguments.of("chunked text", "7f61616162ff", NODES.stringNode("ab")),
                Arguments.of("chunked bytes", "5f41014102ff", NODES.binaryNode(new byte[] {1, 2})),
                Arguments.of("half-precision float", "f93e00", NODES.numberNode(1.5f)),
                Arguments.of("single-precision float", "fa3fc00000", NODES.numberNode(1.5f)),
                Arguments.of("datetime string, tag 0", "c074323031332d30332d32315432303a30343a30305a",
                        NODES.stringNode("2013-03-21T20:04:00Z")),
                Arguments.of("set, tag 258", "d90102820102", NODES.arrayNode().add(1).add(2)),
                Arguments.of("integer map key", "a10102", NODES.objectNode().put("1", 2)),
                Arguments.of("non-minimal integer head", "1b0000000000000001", NODES.numberNode(1L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEncodingsCbor2Reads")
    void decodesOtherWellFormedEncodings(String description, String cbor, JsonNode expected)
            throws DeserializeException {
        assertThat(oneShot(CborSerializer.tree(), cbor)).isEqualTo(expected);
    }

    @Test
    void mapWithAnArrayKeyIsRefused() {
        assertThatThrownBy(() -> oneShot(CborSerializer.tree(), "a182010203"))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid CBOR: ");
    }

    @Test
    void roundTripsARecord() throws DeserializeException {
        CborSerializer<Point> serializer = CborSerializer.of(Point.class);

        byte[] bytes = serializer.serialize(new Point(-3, "né"));

        assertThat(serializer.deserialize(bytes, 0, bytes.length)).isEqualTo(new Point(-3, "né"));
    }

    // ---- one-shot errors ---------------------------------------------------------------------------------

    @Test
    void oneShotRefusesExtraDataAfterTheItem() {
        assertThatThrownBy(() -> oneShot(CborSerializer.tree(), "0102"))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("extra data after the CBOR value in \"\\x01\\x02\"");
        assertThatThrownBy(() -> oneShot(CborSerializer.tree(), "01ff"))
                .as("extra bytes that are not even CBOR")
                .hasMessage("extra data after the CBOR value in \"\\x01\\xff\"");
    }

    @Test
    void oneShotRefusesATruncatedItemAndNoBytesAtAll() {
        assertThatThrownBy(() -> oneShot(CborSerializer.tree(), "8201"))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid CBOR: ")
                .hasMessageContaining("end-of-input")
                .hasMessageEndingWith(" in \"\\x82\\x01\"")
                .hasCauseInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> CborSerializer.tree().deserialize(new byte[3], 1, 0))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("no bytes where a CBOR value was expected");
    }

    // ---- stream decoding ---------------------------------------------------------------------------------

    @Test
    void itemsBackToBackInOneChunkDecodeOneAtATime() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes("01" + "820203" + "a161616162" + "f6" + "82")))
                .containsExactly(packet(NODES.numberNode(1)), packet(NODES.arrayNode().add(2).add(3)),
                        packet(NODES.objectNode().put("a", "b")), packet(NullNode.getInstance()));
        assertThat(feeder.buffered()).as("the start of an unfinished array").isEqualTo(1);
    }

    @Test
    void itemFedByteByByteDecodesExactlyOnceWhenItsLastByteArrives() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(1024));
        byte[] item = bytes("a2616b1b0000000100000000617a5f4101420203ff");

        assertThat(feeder.feedByteByByte(Arrays.copyOf(item, item.length - 1))).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(item.length - 1);

        assertThat(feeder.feed(new byte[] {(byte) 0xff})).containsExactly(packet(NODES.objectNode()
                .put("k", 4_294_967_296L).put("z", new byte[] {1, 2, 3})));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void strayBreakIsInvalidAtItsOffsetAndTheNextItemStillDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes("01ff8102")))
                .containsExactly(packet(NODES.numberNode(1)), failure(Reason.INVALID_PACKET, 1),
                        packet(NODES.arrayNode().add(2)));
        assertThat(feeder.failures().getFirst()).hasMessage("malformed CBOR at byte 0 of the value: break byte 0xff "
                + "outside an indefinite-length array, map or string; skipped 1 bytes \"\\xff\" (packet at stream "
                + "offset 1)");
    }

    static Stream<Arguments> malformedItems() {
        return Stream.of(
                Arguments.of("reserved additional information", "821c", 2,
                        "reserved additional information 28 in initial byte 0x1c"),
                Arguments.of("indefinite-length integer", "9f3f", 2,
                        "indefinite length in initial byte 0x3f of major type 1, which cannot have one"),
                Arguments.of("text chunk in a byte string", "5f61", 2,
                        "initial byte 0x61 inside an indefinite-length byte string, where only a definite-length "
                                + "chunk of the same type or a break may stand"),
                Arguments.of("break after a map key", "bf6161ff", 4,
                        "break byte 0xff where the value of a map key was expected"),
                Arguments.of("break after a tag", "9fc2ff", 3, "break byte 0xff where the item of a tag was expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedItems")
    void malformedItemIsInvalidUpToItsFirstBadByteAndDecodingResumesAfterIt(String description, String bad,
            int skipped, String reason) {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed(bytes("07" + bad + "08")))
                .containsExactly(packet(NODES.numberNode(7)), failure(Reason.INVALID_PACKET, 1),
                        packet(NODES.numberNode(8)));
        assertThat(feeder.failures().getFirst().getMessage())
                .startsWith("malformed CBOR at byte " + (skipped - 1) + " of the value: " + reason + "; skipped "
                        + skipped + " bytes ");
    }

    @Test
    void nestingDeeperThanTheMappersLimitIsInvalid() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(4096));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(bytes("81".repeat(501) + "00"));

        assertThat(outcomes).first().isEqualTo(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst())
                .hasMessageStartingWith("malformed CBOR at byte 500 of the value: nesting deeper than 500 levels");
    }

    @Test
    void wellFormedItemThatDoesNotBindIsInvalidAndTheNextItemStillDecodes() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(CborSerializer.of(Point.class).newDecoder(1024));
        byte[] good = CborSerializer.of(Point.class).serialize(new Point(2, "b"));

        assertThat(feeder.feed(concat(bytes("a16178617a"), good)))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Point(2, "b")));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid CBOR: ")
                .hasMessageEndingWith(" in \"\\xa1axaz\" (packet at stream offset 0)")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void itemOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(16));

        // A 15-byte text string is 16 bytes with its one-byte head; a 16-byte one is 17.
        assertThat(feeder.feed(concat(encode(CborSerializer.tree(), NODES.stringNode("a".repeat(15))),
                encode(CborSerializer.tree(), NODES.stringNode("a".repeat(16))), bytes("00"))))
                .containsExactly(packet(NODES.stringNode("a".repeat(15))), failure(Reason.PACKET_TOO_LARGE, 16),
                        packet(NODES.numberNode(0)));
        assertThat(feeder.failures().getFirst()).hasMessage("CBOR value of 17 bytes is larger than the 16-byte "
                + "limit; skipped (packet at stream offset 16)");
    }

    @Test
    void oversizeItemIsReportedOnceAsSoonAsItPassesTheLimitAndSkippedWithoutBeingBuffered() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(16));
        byte[] oversize = concat(bytes("5903e8"), new byte[1000]);

        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < oversize.length; i += 7) {
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(oversize, i, Math.min(oversize.length, i + 7))));
            if (i == 14) {
                assertThat(outcomes).as("reported at the 17th byte").hasSize(1);
            }
            assertThat(feeder.buffered()).isLessThanOrEqualTo(16);
        }
        outcomes.addAll(feeder.feed(bytes("8101")));

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet(NODES.arrayNode().add(1)));
        assertThat(feeder.failures().getFirst()).hasMessage("CBOR value of at least 21 bytes is larger than the "
                + "16-byte limit; the rest of it is skipped as it arrives (packet at stream offset 0)");
        assertThat(feeder.feed(bytes("ff"))).containsExactly(failure(Reason.INVALID_PACKET, 1005));
    }

    @Test
    void oversizeItemThatTurnsOutMalformedIsReportedAgainAndDecodingResumesAfterTheBadByte() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(4));

        assertThat(feeder.feed(bytes("9f0102030405")))
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.feed(bytes("3f06")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.numberNode(6)));
        assertThat(feeder.failures().get(1)).hasMessage("the oversize CBOR value being skipped is malformed at "
                + "stream offset 6: indefinite length in initial byte 0x3f of major type 1, which cannot have one; "
                + "decoding resumes after that byte (packet at stream offset 0)");
    }

    @Test
    void nullItemIsDeliveredAsANullNodePacketNotAsNeedMoreBytes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CborSerializer.tree().newDecoder(16));

        assertThat(feeder.feed(bytes("f6"))).containsExactly(packet(NullNode.getInstance()));
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> CborSerializer.tree().newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    @Test
    void namesItsTypeInToString() {
        assertThat(CborSerializer.of(Point.class)).hasToString("CborSerializer[[simple type, class "
                + Point.class.getName() + "]]");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static ArrayNode goldenArray() {
        return NODES.arrayNode().add(1).add(new byte[] {'x'}).add("s").add(1.5).add(0.1).addNull().add(true).add(-1)
                .add(TWO_TO_THE_64).add(Double.NaN);
    }
}
