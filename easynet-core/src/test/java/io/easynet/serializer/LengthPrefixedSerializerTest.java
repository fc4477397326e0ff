package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class LengthPrefixedSerializerTest {

    private static final LengthPrefixedSerializer<byte[]> SERIALIZER = LengthPrefixedSerializer.INSTANCE;

    private static final int KIB_64 = 64 * 1024;

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void encodesAFourByteBigEndianLengthThenTheBody() {
        assertThat(encode("hi".getBytes(StandardCharsets.US_ASCII))).containsExactly(0, 0, 0, 2, 'h', 'i');

        byte[] body = new byte[0x01_02_03];
        Arrays.fill(body, (byte) 7);
        byte[] encoded = encode(body);
        assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0x00, 0x01, 0x02, 0x03);
        assertThat(Arrays.copyOfRange(encoded, 4, encoded.length)).isEqualTo(body);
    }

    @Test
    void encodesAZeroLengthFrameAsFourZeroBytes() {
        assertThat(encode(new byte[0])).containsExactly(0, 0, 0, 0);
    }

    @Test
    void lengthBytesAbove0x7fAreWrittenAsUnsignedBytes() {
        byte[] body = new byte[0xff_80];
        assertThat(Arrays.copyOf(encode(body), 4)).containsExactly(0x00, 0x00, 0xff, 0x80);
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    @Test
    void decodesFramesOneByOneFromOneChunk() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 1, 'z',
                0, 0, 0, 9, 'p'));

        assertThat(bodies(outcomes)).containsExactly("abc", "", "z");
        assertThat(feeder.buffered()).as("the partial frame is kept").isEqualTo(5);
    }

    @Test
    void zeroLengthFrameDecodesToAnEmptyPacket() throws Exception {
        StreamDecoder<byte[]> decoder = SERIALIZER.newDecoder(16);
        ByteBuffer buffer = ByteBuffer.wrap(bytes(0, 0, 0, 0, 0, 0));
        List<byte[]> sunk = new ArrayList<>();

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).singleElement().satisfies(body -> assertThat(body).isEmpty());
        assertThat(buffer.position()).isEqualTo(4);
        assertThat(decoder.decode(buffer, sunk::add)).as("two bytes are not a header yet").isFalse();
        assertThat(buffer.position()).isEqualTo(4);
    }

    @Test
    void frameSplitAcrossChunksDecodesOnceComplete() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));

        assertThat(feeder.feed(bytes(0, 0))).isEmpty();
        assertThat(feeder.feed(bytes(0, 5, 'h'))).isEmpty();
        assertThat(feeder.feed(bytes('e', 'l', 'l'))).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(8);
        assertThat(bodies(feeder.feed(bytes('o', 0)))).containsExactly("hello");
        assertThat(feeder.buffered()).isEqualTo(1);
    }

    @Test
    void frameFedByteByByteDecodesExactlyOnce() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        List<DecoderFeeder.Outcome> outcomes = feeder.feedByteByByte(encode(body));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(DecoderFeeder.Packet.class,
                p -> assertThat((byte[]) p.value()).isEqualTo(body));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void frameOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(3));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 4, 'w', 'x', 'y',
                'z', 0, 0, 0, 1, '!'));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(1)).isEqualTo(failure(Reason.PACKET_TOO_LARGE, 7));
        assertThat(bodies(List.of(outcomes.get(0), outcomes.get(2)))).containsExactly("abc", "!");
        assertThat(feeder.failures().getFirst()).hasMessage("frame of 4 bytes is larger than the 3-byte limit; its "
                + "body is skipped (packet at stream offset 7)");
    }

    @Test
    void lengthOf2Pow31IsTooLargeRightAfterTheHeaderWithoutAllocatingIt() {
        assertHugeFrameIsRefusedFromItsHeaderAlone(bytes(0x80, 0, 0, 0), 2147483648L);
    }

    @Test
    void lengthOf0xffffffffIsTooLargeRightAfterTheHeaderWithoutAllocatingIt() {
        assertHugeFrameIsRefusedFromItsHeaderAlone(bytes(0xff, 0xff, 0xff, 0xff), 4294967295L);
    }

    private static void assertHugeFrameIsRefusedFromItsHeaderAlone(byte[] header, long announced) {
        // Warm up once, so class loading and linkage of the error path do not count as the decoder's allocation.
        new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64)).feed(header);
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));
        feeder.feed(bytes(0, 0, 0, 1, 'k'));

        long allocatedBefore = threadAllocatedBytes();
        List<DecoderFeeder.Outcome> outcomes = feeder.feed(header);
        long allocated = threadAllocatedBytes() - allocatedBefore;

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 5));
        assertThat(feeder.failures().getFirst()).hasMessage("frame of " + announced + " bytes is larger than the "
                + "65536-byte limit; its body is skipped (packet at stream offset 5)");
        assertThat(allocated).as("bytes allocated while decoding the header").isLessThan(1024 * 1024);
        assertThat(feeder.buffered()).isZero();

        // The body is skipped as it arrives, without being buffered and without another report.
        byte[] chunk = new byte[100_000];
        Arrays.fill(chunk, (byte) 0xee);
        for (int i = 0; i < 5; i++) {
            assertThat(feeder.feed(chunk)).isEmpty();
            assertThat(feeder.buffered()).isZero();
        }
    }

    @Test
    void bodyOfATooLargeFrameIsSkippedAsItArrivesThenTheNextFrameDecodes() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(10));
        byte[] tooLarge = encode(new byte[100]);
        Arrays.fill(tooLarge, 4, tooLarge.length, (byte) 'x');

        assertThat(feeder.feed(Arrays.copyOfRange(tooLarge, 0, 34)))
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed(Arrays.copyOfRange(tooLarge, 34, 74))).isEmpty();
        assertThat(feeder.buffered()).isZero();

        byte[] rest = concat(Arrays.copyOfRange(tooLarge, 74, 104), encode("ok".getBytes(StandardCharsets.US_ASCII)));
        assertThat(bodies(feeder.feed(rest))).containsExactly("ok");
        // The refused frame took 104 bytes and "ok" 6: the next frame starts at 110.
        assertThat(feeder.feed(bytes(0, 0, 0, 11))).containsExactly(failure(Reason.PACKET_TOO_LARGE, 110));
        assertThat(feeder.failures()).extracting(Throwable::getMessage).containsExactly(
                "frame of 100 bytes is larger than the 10-byte limit; its body is skipped (packet at stream offset 0)",
                "frame of 11 bytes is larger than the 10-byte limit; its body is skipped (packet at stream offset 110)");
    }

    @Test
    void tooLargeFrameWhoseBodyArrivesWithTheHeaderIsSkippedInTheSameCall() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(2));

        assertThat(bodies(feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'o', 'k'))))
                .containsExactly("<" + failure(Reason.PACKET_TOO_LARGE, 0) + ">", "ok");
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void decodedPacketIsACopyNotAViewOfTheReceiveBuffer() throws Exception {
        byte[] wire = bytes(0, 0, 0, 2, 'a', 'b');
        List<byte[]> sunk = new ArrayList<>();

        SERIALIZER.newDecoder(16).decode(ByteBuffer.wrap(wire), sunk::add);
        wire[4] = 'X';

        assertThat(sunk.getFirst()).containsExactly('a', 'b');
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> SERIALIZER.newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static byte[] encode(byte[] body) {
        PacketBuffer out = new PacketBuffer(0);
        SERIALIZER.encode(body, out);
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static List<String> bodies(List<DecoderFeeder.Outcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome instanceof DecoderFeeder.Packet(Object value)
                ? new String((byte[]) value, StandardCharsets.US_ASCII)
                : "<" + outcome + ">").toList();
    }

    private static long threadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    // ---- prefix widths and byte orders ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-byte {1}")
    @CsvSource({
            "1, BIG_ENDIAN,    02",
            "1, LITTLE_ENDIAN, 02",
            "2, BIG_ENDIAN,    0002",
            "2, LITTLE_ENDIAN, 0200",
            "4, BIG_ENDIAN,    00000002",
            "4, LITTLE_ENDIAN, 02000000",
            "8, BIG_ENDIAN,    0000000000000002",
            "8, LITTLE_ENDIAN, 0200000000000000"})
    void encodesTheLengthInTheChosenWidthAndByteOrderThenTheBody(int size, String order, String prefix) {
        LengthPrefixedSerializer<byte[]> serializer = SERIALIZER.withPrefix(size, byteOrder(order));

        assertThat(HexFormat.of().formatHex(encode(serializer, "hi".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(prefix + "6869");
    }

    @Test
    void multiByteLengthsAreWrittenInTheChosenByteOrder() {
        assertThat(Arrays.copyOf(encode(SERIALIZER.withPrefix(2, ByteOrder.LITTLE_ENDIAN), new byte[0x0102]), 2))
                .containsExactly(0x02, 0x01);
        assertThat(Arrays.copyOf(encode(SERIALIZER.withPrefix(4, ByteOrder.LITTLE_ENDIAN), new byte[0x010203]), 4))
                .containsExactly(0x03, 0x02, 0x01, 0x00);
        assertThat(Arrays.copyOf(encode(SERIALIZER.withPrefix(8, ByteOrder.BIG_ENDIAN), new byte[0x010203]), 8))
                .containsExactly(0, 0, 0, 0, 0, 0x01, 0x02, 0x03);
        assertThat(Arrays.copyOf(encode(SERIALIZER.withPrefix(8, ByteOrder.LITTLE_ENDIAN), new byte[0x010203]), 8))
                .containsExactly(0x03, 0x02, 0x01, 0, 0, 0, 0, 0);
    }

    @Test
    void littleEndianFramesDecodeAcrossChunks() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.withPrefix(2, ByteOrder.LITTLE_ENDIAN)
                .newDecoder(KIB_64));

        assertThat(feeder.feed(bytes(3))).isEmpty();
        assertThat(bodies(feeder.feed(bytes(0, 'a', 'b', 'c', 1, 1)))).containsExactly("abc");
        byte[] body = new byte[0x0101];
        Arrays.fill(body, (byte) 'q');
        assertThat(bodies(feeder.feed(body))).containsExactly("q".repeat(0x0101));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void largestLengthThePrefixCanExpressIsSentAndOneMoreIsRefusedWithNothingWritten() {
        LengthPrefixedSerializer<byte[]> oneByte = SERIALIZER.withPrefix(1, ByteOrder.BIG_ENDIAN);
        LengthPrefixedSerializer<byte[]> twoBytes = SERIALIZER.withPrefix(2, ByteOrder.LITTLE_ENDIAN);
        assertThat(encode(oneByte, new byte[255])).hasSize(256).startsWith(0xff);
        assertThat(encode(twoBytes, new byte[65535])).hasSize(65537).startsWith(0xff, 0xff);

        PacketBuffer out = new PacketBuffer(0);
        out.write('!');
        assertThatThrownBy(() -> oneByte.encode(new byte[256], out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packet of 256 bytes is longer than a 1-byte length prefix can express (at most 255)");
        assertThatThrownBy(() -> twoBytes.encode(new byte[65536], out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packet of 65536 bytes is longer than a 2-byte length prefix can express (at most 65535)");
        assertThat(out.toByteArray()).containsExactly('!');
    }

    @Test
    void prefixWidthOtherThan1248IsRefused() {
        assertThatThrownBy(() -> SERIALIZER.withPrefix(3, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("length prefix must be 1, 2, 4 or 8 bytes, got 3");
        assertThatThrownBy(() -> SERIALIZER.withPrefix(0, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eightByteLengthAbove2Pow63IsTooLargeAndItsBodyIsSkippedForever() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.withPrefix(8, ByteOrder.BIG_ENDIAN)
                .newDecoder(KIB_64));

        assertThat(feeder.feed(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0)))
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.failures().getFirst()).hasMessage("frame of 18446744073709551615 bytes is larger than the "
                + "65536-byte limit; its body is skipped (packet at stream offset 0)");
        byte[] chunk = new byte[100_000];
        for (int i = 0; i < 5; i++) {
            assertThat(feeder.feed(chunk)).isEmpty();
            assertThat(feeder.buffered()).isZero();
        }
    }

    @Test
    void eightByteLengthOf2Pow63IsTooLargeRightAfterTheHeader() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.withPrefix(8, ByteOrder.LITTLE_ENDIAN)
                .newDecoder(KIB_64));

        assertThat(feeder.feed(bytes(0, 0, 0, 0, 0, 0, 0, 0x80))).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("frame of 9223372036854775808 bytes");
    }

    @Test
    void eightByteLengthAboveTheLimitIsSkippedThenTheNextFrameDecodes() {
        LengthPrefixedSerializer<byte[]> serializer = SERIALIZER.withPrefix(8, ByteOrder.LITTLE_ENDIAN);
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(serializer.newDecoder(4));

        byte[] stream = concat(encode(serializer, "too long".getBytes(StandardCharsets.US_ASCII)),
                encode(serializer, "ok".getBytes(StandardCharsets.US_ASCII)));
        assertThat(bodies(feeder.feedByteByByte(stream)))
                .containsExactly("<" + failure(Reason.PACKET_TOO_LARGE, 0) + ">", "ok");
    }

    @Test
    void toStringNamesThePrefixAndTheBody() {
        assertThat(SERIALIZER).hasToString("LengthPrefixedSerializer[4-byte big-endian length, byte[]]");
        assertThat(SERIALIZER.withPrefix(2, ByteOrder.LITTLE_ENDIAN))
                .hasToString("LengthPrefixedSerializer[2-byte little-endian length, byte[]]");
    }

    // ---- another serializer's packets -----------------------------------------------------------------------

    @Test
    void jsonDocumentsAreFramedByLengthInsteadOfANewline() {
        LengthPrefixedSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree());
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("a", "\u00e9");

        PacketBuffer out = new PacketBuffer(0);
        json.encode(document, out);
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("\0\0\0\u000e{\"a\":\"\\u00e9\"}");
        assertThat(new DecoderFeeder<>(json.newDecoder(KIB_64)).feedByteByByte(out.toByteArray()))
                .containsExactly(packet(document));
        assertThat(json).hasToString("LengthPrefixedSerializer[4-byte big-endian length, " + JsonSerializer.tree()
                + "]");
    }

    @Test
    void bodyTheInnerSerializerRefusesIsInvalidPacketAndTheNextFrameDecodes() {
        LengthPrefixedSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree())
                .withPrefix(1, ByteOrder.BIG_ENDIAN);
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(json.newDecoder(KIB_64));

        assertThat(feeder.feed(concat(bytes(3, '{', '1', '}'), bytes(2, '[', ']'))))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(JsonNodeFactory.instance.arrayNode()));
        assertThat(feeder.failures().getFirst().getMessage()).startsWith("invalid JSON at column ")
                .endsWith(" in \"{1}\" (packet at stream offset 0)");
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void packetTheInnerSerializerCannotWriteIsRefusedWithNothingWritten() {
        LengthPrefixedSerializer<JsonSerializerTest.Unwritable> json = LengthPrefixedSerializer.of(
                JsonSerializer.of(JsonSerializerTest.Unwritable.class));
        PacketBuffer out = new PacketBuffer(0);

        assertThatThrownBy(() -> json.encode(new JsonSerializerTest.Unwritable(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write ");
        assertThat(out.size()).isZero();
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-byte {1}, seed {2}")
    @CsvSource({"1, BIG_ENDIAN, 1", "1, LITTLE_ENDIAN, 2", "2, BIG_ENDIAN, 3", "2, LITTLE_ENDIAN, 4",
            "4, BIG_ENDIAN, 5", "4, LITTLE_ENDIAN, 6", "8, BIG_ENDIAN, 7", "8, LITTLE_ENDIAN, 8"})
    void anyFramesSplitAnywhereDecodeToTheSameBodies(int size, String order, long seed) {
        Random random = new Random(seed);
        LengthPrefixedSerializer<byte[]> serializer = SERIALIZER.withPrefix(size, byteOrder(order));
        for (int round = 0; round < 20; round++) {
            List<byte[]> packets = new ArrayList<>();
            for (int i = random.nextInt(30); i > 0; i--) {
                packets.add(RandomStreams.randomBytes(random, random.nextInt(random.nextBoolean() ? 4 : 256)));
            }

            List<DecoderFeeder.Outcome> outcomes = RandomStreams.feedInRandomChunks(serializer.newDecoder(255),
                    RandomStreams.encodeAll(serializer, packets), random, 255 + size);

            assertThat(hex(outcomes)).containsExactlyElementsOf(packets.stream().map(HexFormat.of()::formatHex)
                    .toList());
        }
    }

    @ParameterizedTest(name = "{0}-byte {1}, seed {2}")
    @CsvSource({"1, BIG_ENDIAN, 11", "2, LITTLE_ENDIAN, 12", "4, BIG_ENDIAN, 13", "8, LITTLE_ENDIAN, 14"})
    void framesOverTheLimitAreReportedAtTheirStartAtAnySplitAndTheOthersDecode(int size, String order, long seed) {
        Random random = new Random(seed);
        int limit = 40;
        LengthPrefixedSerializer<byte[]> serializer = SERIALIZER.withPrefix(size, byteOrder(order));
        for (int round = 0; round < 20; round++) {
            List<byte[]> packets = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            long offset = 0;
            for (int i = random.nextInt(30); i > 0; i--) {
                byte[] packet = RandomStreams.randomBytes(random, random.nextInt(2 * limit));
                packets.add(packet);
                expected.add(packet.length > limit ? failure(Reason.PACKET_TOO_LARGE, offset).toString()
                        : HexFormat.of().formatHex(packet));
                offset += size + packet.length;
            }

            assertThat(hex(RandomStreams.feedInRandomChunks(serializer.newDecoder(limit),
                    RandomStreams.encodeAll(serializer, packets), random, limit + size))).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}-byte {1}, seed {2}")
    @CsvSource({"1, BIG_ENDIAN, 21", "2, LITTLE_ENDIAN, 22", "4, BIG_ENDIAN, 23", "8, LITTLE_ENDIAN, 24"})
    void garbageOnlyYieldsParseErrors(int size, String order, long seed) {
        Random random = new Random(seed);
        LengthPrefixedSerializer<byte[]> raw = SERIALIZER.withPrefix(size, byteOrder(order));
        LengthPrefixedSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree())
                .withPrefix(size, byteOrder(order));
        for (int round = 0; round < 20; round++) {
            RandomStreams.feedGarbage(raw.newDecoder(100), random, 2000, 100 + size);
            RandomStreams.feedGarbage(json.newDecoder(100), random, 2000, 100 + size);
        }
    }

    @Test
    void anyJsonDocumentsSplitAnywhereDecodeToTheSameDocuments() {
        Random random = new Random(31);
        LengthPrefixedSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree())
                .withPrefix(2, ByteOrder.LITTLE_ENDIAN);
        for (int round = 0; round < 20; round++) {
            List<JsonNode> documents = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                documents.add(JsonNodeFactory.instance.objectNode().put("n", random.nextInt())
                        .put("s", new String(RandomStreams.randomBytes(random, random.nextInt(20)),
                                StandardCharsets.ISO_8859_1)));
            }

            assertThat(RandomStreams.feedInRandomChunks(json.newDecoder(KIB_64), RandomStreams.encodeAll(json,
                    documents), random, KIB_64)).containsExactlyElementsOf(documents.stream().map(DecoderFeeder::packet)
                    .toList());
        }
    }

    private static ByteOrder byteOrder(String name) {
        return name.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static byte[] encode(LengthPrefixedSerializer<byte[]> serializer, byte[] body) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(body, out);
        return out.toByteArray();
    }

    private static List<String> hex(List<DecoderFeeder.Outcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome instanceof DecoderFeeder.Packet(Object value)
                ? HexFormat.of().formatHex((byte[]) value)
                : outcome.toString()).toList();
    }

    @Test
    void theConnectionsLimitReachesAWrappedCompressedBody() {
        LengthPrefixedSerializer<String> framed = LengthPrefixedSerializer.of(
                CompressedSerializer.zlib(Latin1Serializer.INSTANCE));
        String large = "a".repeat(100_000);
        PacketBuffer out = new PacketBuffer(0);
        framed.encode(large, out);
        int secondFrame = out.size();
        framed.encode("x".repeat(2_000_000), out);
        framed.encode("ok", out);

        DecoderFeeder<String> feeder = new DecoderFeeder<>(framed.newDecoder(1024 * 1024));
        assertThat(feeder.feed(out.toByteArray())).containsExactly(packet(large),
                failure(Reason.PACKET_TOO_LARGE, secondFrame), packet("ok"));
    }
}
