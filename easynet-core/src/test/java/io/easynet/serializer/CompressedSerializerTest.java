package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compressed streams. Expected bytes were computed with Python 3.11's standard library (zlib 1.2.13):
 * {@code zlib.compress(data, level)} as EasyNetwork's {@code ZlibCompressorSerializer} writes a packet,
 * {@code zlib.compress(data, level, wbits=-15)} and {@code gzip.compress(data, level, mtime=0)}. The JDK's zlib
 * produces the same bytes here; another zlib build could compress differently, so those tests pin this build.
 */
class CompressedSerializerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ObjectNode A_1 = NODES.objectNode().put("a", 1);

    /** {@code zlib.compress(b'{"a":1}', 9)}, the packet EasyNetwork sends for {@code {"a": 1}}. */
    private static final String ZLIB_A_1 = "78daab564a54b232ac0500082a0209";

    // ---- the wire format: golden bytes ----------------------------------------------------------------------

    static Stream<Arguments> pythonCompress() {
        return Stream.of(
                Arguments.of("zlib, level 9 (EasyNetwork's default)", CompressionFormat.ZLIB, 9, ZLIB_A_1),
                Arguments.of("zlib, level 6", CompressionFormat.ZLIB, 6, "789cab564a54b232ac0500082a0209"),
                Arguments.of("zlib, level 1", CompressionFormat.ZLIB, 1, "7801ab564a54b232ac0500082a0209"),
                Arguments.of("zlib, level 0 (stored)", CompressionFormat.ZLIB, 0,
                        "7801010700f8ff7b2261223a317d082a0209"),
                Arguments.of("deflate, level 9", CompressionFormat.DEFLATE, 9, "ab564a54b232ac0500"),
                Arguments.of("deflate, level 0", CompressionFormat.DEFLATE, 0, "010700f8ff7b2261223a317d"),
                Arguments.of("gzip, level 9", CompressionFormat.GZIP, 9,
                        "1f8b0800000000000203ab564a54b232ac0500afac1b5607000000"),
                Arguments.of("gzip, level 6", CompressionFormat.GZIP, 6,
                        "1f8b0800000000000003ab564a54b232ac0500afac1b5607000000"),
                Arguments.of("gzip, level 1", CompressionFormat.GZIP, 1,
                        "1f8b0800000000000403ab564a54b232ac0500afac1b5607000000"),
                Arguments.of("gzip, level 0", CompressionFormat.GZIP, 0,
                        "1f8b0800000000000403010700f8ff7b2261223a317dafac1b5607000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonCompress")
    void compressesByteForByteLikePython(String description, CompressionFormat format, int level, String hex) {
        CompressedSerializer<JsonNode> serializer = serializer(format, JsonSerializer.tree(), level);

        assertThat(HexFormat.of().formatHex(encode(serializer, A_1))).isEqualTo(hex);
        assertThat(HexFormat.of().formatHex(serializer.serialize(A_1))).isEqualTo(hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonCompress")
    void decodesWhatPythonCompresses(String description, CompressionFormat format, int level, String hex)
            throws Exception {
        CompressedSerializer<JsonNode> serializer = serializer(format, JsonSerializer.tree(), 9);

        assertThat(new DecoderFeeder<>(serializer.newDecoder(1024)).feed(hex(hex))).containsExactly(packet(A_1));
        assertThat(serializer.deserialize(hex(hex), 0, hex(hex).length)).isEqualTo(A_1);
    }

    @Test
    void zlibStreamStartsWithTheBestCompressionHeaderAtTheDefaultLevel() {
        byte[] encoded = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "x".repeat(1000));

        assertThat(Arrays.copyOf(encoded, 2)).containsExactly(0x78, 0xda);
    }

    @Test
    void decodesEasyNetworkPacketsSentBackToBackInOneChunkOrByteByByte() {
        // b"".join(zlib.compress(json.dumps(o, separators=(",", ":")).encode(), 9) for o in [{"a":1},[1,2,3],"x",None])
        byte[] stream = hex("78daab564a54b232ac0500082a020978da8b36d431d2318e0500069501a778da53aa500200017b00bd"
                + "78dacb2bcdc90100045f01bc");
        List<DecoderFeeder.Outcome> expected = List.of(packet(A_1), packet(NODES.arrayNode().add(1).add(2).add(3)),
                packet(NODES.stringNode("x")), packet(NODES.nullNode()));

        assertThat(new DecoderFeeder<>(CompressedSerializer.zlib(JsonSerializer.tree()).newDecoder(1024))
                .feed(stream)).containsExactlyElementsOf(expected);
        assertThat(new DecoderFeeder<>(CompressedSerializer.zlib(JsonSerializer.tree()).newDecoder(1024))
                .feedByteByByte(stream)).containsExactlyElementsOf(expected);
    }

    @Test
    void gzipMemberWithEveryOptionalHeaderFieldDecodes() throws Exception {
        // FEXTRA "AB" subfield "xy", FNAME "a.json", FCOMMENT "hi", FHCRC, time stamp 1700000000; built with
        // Python's struct and zlib.crc32, gzip.decompress accepts it.
        byte[] member = hex("1f8b081e00f1536502030600414202007879612e6a736f6e006869006043ab564a54b232ac0500afac1b"
                + "5607000000");
        // what gzip.GzipFile(filename="a.json", mtime=0) writes
        byte[] named = hex("1f8b08080000000002ff612e6a736f6e00ab564a54b232ac0500afac1b5607000000");
        CompressedSerializer<JsonNode> gzip = CompressedSerializer.gzip(JsonSerializer.tree());

        assertThat(new DecoderFeeder<>(gzip.newDecoder(1024)).feedByteByByte(concat(member, named)))
                .containsExactly(packet(A_1), packet(A_1));
        assertThat(gzip.deserialize(member, 0, member.length)).isEqualTo(A_1);
    }

    // ---- incremental decoding ------------------------------------------------------------------------------

    @Test
    void partialStreamIsConsumedAsItArrivesAndThePacketComesOutWithItsLastByte() {
        String text = "the quick brown fox ".repeat(200);
        byte[] encoded = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), text);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(8192));

        assertThat(feeder.feed(Arrays.copyOf(encoded, encoded.length - 1))).isEmpty();
        assertThat(feeder.buffered()).as("nothing is left in the receive buffer").isZero();
        assertThat(feeder.feed(new byte[] {encoded[encoded.length - 1]})).containsExactly(packet(text));
    }

    @Test
    void bytesAfterTheEndOfAStreamAreLeftForTheNextPacket() {
        byte[] first = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "first");
        byte[] second = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "second");
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(1024));

        assertThat(feeder.feed(concat(first, Arrays.copyOf(second, 3)))).containsExactly(packet("first"));
        assertThat(feeder.feed(Arrays.copyOfRange(second, 3, second.length))).containsExactly(packet("second"));
    }

    // ---- refusals and limits -------------------------------------------------------------------------------

    @Test
    void innerSerializersRefusalIsAParseErrorForThatPacketAndTheNextOneDecodes() {
        byte[] stream = concat(encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "!no"),
                encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "yes"));
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(1024));

        assertThat(feeder.feed(stream)).containsExactly(failure(Reason.INVALID_PACKET, 0), packet("yes"));
        assertThat(feeder.failures().getFirst()).hasMessage("packet starts with '!' (packet at stream offset 0)");
    }

    @Test
    void corruptDataDropsEverythingBufferedAndTheNextBytesStartANewPacket() {
        byte[] good = hex(ZLIB_A_1);
        byte[] corrupt = hex("78daffff");
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(JsonSerializer.tree())
                .newDecoder(1024));

        assertThat(feeder.feed(good)).containsExactly(packet(A_1));
        assertThat(feeder.feed(concat(corrupt, good))).as("the good packet after the corrupt one is lost with it")
                .containsExactly(failure(Reason.INVALID_PACKET, 15));
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed(good)).containsExactly(packet(A_1));
        assertThat(feeder.failures().getFirst()).hasMessage("corrupt zlib data: invalid block type; the "
                + "19 bytes received after the packet's start are dropped, since its end cannot be found "
                + "(packet at stream offset 15)").hasCauseInstanceOf(DataFormatException.class);
    }

    @Test
    void corruptDataIsReportedAtThePacketsStartWhenItArrivesInPieces() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(JsonSerializer.tree())
                .newDecoder(1024));

        assertThat(feeder.feed(hex("78"))).isEmpty();
        assertThat(feeder.feed(hex("00"))).containsExactly(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst())
                .hasMessageStartingWith("corrupt zlib data: incorrect header check; the 1 bytes received");
    }

    @Test
    void streamAskingForAPresetDictionaryIsCorrupt() {
        // zlib header 78 bb: FDICT set, then the dictionary's Adler-32
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(JsonSerializer.tree())
                .newDecoder(1024));

        assertThat(feeder.feed(hex("78bb00000001ab564a54b232ac0500")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("corrupt zlib data: the stream needs a preset "
                + "dictionary, which is not supported; ");
    }

    static Stream<Arguments> corruptGzip() {
        String good = "1f8b0800000000000203ab564a54b232ac0500afac1b5607000000";
        return Stream.of(
                Arguments.of("1f8c", "not a gzip member: byte 1 is 0x8c, not 0x8b"),
                Arguments.of("1f8b07", "gzip compression method 7 is not deflate (8)"),
                Arguments.of("1f8b0820", "gzip header sets reserved flags 0x20"),
                Arguments.of("1f8b0802000000000203ffff", "gzip header fails its CRC-16 check"),
                Arguments.of(good.replace("afac1b56", "afac1b57"),
                        "gzip trailer: CRC-32 0x561bacaf of the data is not 0x571bacaf"),
                Arguments.of(good.replace("07000000", "08000000"), "gzip trailer: the data is 7 bytes, not 8"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("corruptGzip")
    void gzipMemberWithABadHeaderOrTrailerIsCorrupt(String hex, String problem) {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(CompressedSerializer.gzip(JsonSerializer.tree())
                .newDecoder(1024));

        assertThat(feeder.feed(hex(hex))).containsExactly(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("corrupt gzip data: " + problem + "; ");
    }

    @Test
    void zipBombIsTooLargeAtOnceWithoutInflatingPastTheLimitAndTheNextPacketDecodes() {
        byte[] bomb = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "\0".repeat(10_000_000));
        assertThat(bomb.length).as("10 MB of zeros compress to under 10 KB").isLessThan(10_000);
        byte[] next = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "next");
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(64 * 1024));

        assertThat(feeder.feed(Arrays.copyOf(bomb, 100))).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.feed(concat(Arrays.copyOfRange(bomb, 100, bomb.length), next)))
                .as("the rest of the bomb is skipped, reported once").containsExactly(packet("next"));
        assertThat(feeder.failures().getFirst()).hasMessage("zlib packet inflates to more than the 65536-byte "
                + "limit; skipped up to the end of its compressed stream (packet at stream offset 0)");
    }

    @Test
    void bombTooBigToSkipCheaplyIsDroppedAfterItsReportAndTheNextStreamDecodes() {
        // 32 MiB of zeros: more than 256 limits of 64 KiB, so looking for its end would cost too much inflating
        byte[] bomb = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "\0".repeat(32 * 1024 * 1024));
        byte[] next = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "next");
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(64 * 1024));

        assertThat(feeder.feed(concat(bomb, next))).as("what arrived with the bomb is dropped with it")
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.feed(next)).containsExactly(packet("next"));
    }

    @Test
    void inflationHoldsAtMostOneBytePastTheLimitWhateverTheStreamInflatesTo() throws Exception {
        byte[] bomb = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "\0".repeat(1_000_000));
        Inflation inflation = new Inflation(CompressionFormat.ZLIB);

        int used = inflation.inflate(bomb, 0, bomb.length, 5000);

        assertThat(inflation.outputSize()).isEqualTo(5001);
        assertThat(inflation.output().length).isEqualTo(5001);
        assertThat(used).isLessThan(bomb.length);
    }

    @Test
    void packetOfExactlyTheLimitInflatedIsAcceptedAndOneByteMoreIsTooLarge() {
        CompressedSerializer<String> serializer = CompressedSerializer.zlib(Latin1Serializer.INSTANCE);
        byte[] fits = encode(serializer, "a".repeat(100));
        byte[] tooLarge = encode(serializer, "a".repeat(101));
        DecoderFeeder<String> feeder = new DecoderFeeder<>(serializer.newDecoder(100));

        assertThat(feeder.feed(concat(fits, tooLarge, fits))).containsExactly(packet("a".repeat(100)),
                failure(Reason.PACKET_TOO_LARGE, fits.length), packet("a".repeat(100)));
    }

    @Test
    void incompressiblePacketOfTheLimitIsAcceptedThoughItsCompressedFormIsLarger() {
        String noise = Latin1Serializer.random(new Random(42), 2000, false);
        CompressedSerializer<String> serializer = CompressedSerializer.zlib(Latin1Serializer.INSTANCE);
        byte[] encoded = encode(serializer, noise);
        assertThat(encoded.length).as("larger than the limit, within the allowance").isGreaterThan(2000)
                .isLessThanOrEqualTo((int) CompressedSerializer.maxCompressedSize(2000));

        assertThat(new DecoderFeeder<>(serializer.newDecoder(2000)).feed(encoded)).containsExactly(packet(noise));
    }

    @Test
    void streamThatGoesOnWithoutOutputIsTooLargeOnTheWireAndSkippedToItsEnd() {
        // a zlib stream of empty stored blocks: 5 bytes each, inflating to nothing; then a final empty block and
        // the Adler-32 of no data
        PacketBuffer endless = new PacketBuffer(0);
        endless.write(hex("7801"), 0, 2);
        for (int i = 0; i < 100; i++) {
            endless.write(hex("000000ffff"), 0, 5);
        }
        endless.write(hex("010000ffff00000001"), 0, 9);
        byte[] next = encode(CompressedSerializer.zlib(Latin1Serializer.INSTANCE), "next");
        DecoderFeeder<String> feeder = new DecoderFeeder<>(CompressedSerializer.zlib(Latin1Serializer.INSTANCE)
                .newDecoder(100));

        assertThat(CompressedSerializer.maxCompressedSize(100)).isEqualTo(164);
        assertThat(feeder.feedByteByByte(concat(endless.toByteArray(), next)))
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet("next"));
        assertThat(feeder.failures().getFirst()).hasMessage("zlib packet is longer than the 164 compressed bytes "
                + "allowed for the 100-byte limit; skipped up to the end of its compressed stream "
                + "(packet at stream offset 0)");
    }

    @Test
    void oneShotDeserializeWantsExactlyOneCompleteStreamWithinTheLimit() {
        CompressedSerializer<JsonNode> serializer = CompressedSerializer.zlib(JsonSerializer.tree());
        byte[] stream = hex(ZLIB_A_1);
        byte[] trailing = concat(stream, hex("00"));
        byte[] bomb = CompressedSerializer.zlib(Latin1Serializer.INSTANCE).serialize("[" + " ".repeat(70_000) + "]");

        assertThatThrownBy(() -> serializer.deserialize(stream, 0, stream.length - 1))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("zlib stream is truncated: 14 bytes end before its end marker: "
                        + "\"x\\xda\\xabVJT\\xb22\\xac\\x05\\x00\\x08*\\x02\"");
        assertThatThrownBy(() -> serializer.deserialize(new byte[0], 0, 0)).isInstanceOf(DeserializeException.class)
                .hasMessage("zlib stream is truncated: 0 bytes end before its end marker: \"\"");
        assertThatThrownBy(() -> serializer.deserialize(trailing, 0, trailing.length))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("1 bytes follow the end of the zlib stream: \"\\x00\"");
        assertThatThrownBy(() -> serializer.deserialize(hex("78daffff"), 0, 4))
                .isInstanceOf(DeserializeException.class).hasMessage("corrupt zlib data: invalid block type");
        assertThatThrownBy(() -> serializer.deserialize(bomb, 0, bomb.length))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("zlib data inflates to more than the 65536-byte limit");
        assertThatThrownBy(() -> serializer.deserialize(stream, 0, stream.length, 6))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("zlib data inflates to more than the 6-byte limit");
    }

    @Test
    void levelOutsideZlibsRangeIsRefused() {
        assertThatThrownBy(() -> CompressedSerializer.gzip(JsonSerializer.tree(), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compression level must be between -1 (zlib's default, 6) and 9, got 10");
        assertThatThrownBy(() -> CompressedSerializer.zlib(JsonSerializer.tree()).newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionFormat.class)
    void anySequenceOfPacketsSplitAnywhereDecodesToTheSamePacketsAndRefusalsAsTheyCame(CompressionFormat format) {
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            int limit = 200 + random.nextInt(800);
            int level = random.nextInt(11) - 1;
            CompressedSerializer<String> serializer = serializer(format, Latin1Serializer.INSTANCE, level);
            PacketBuffer stream = new PacketBuffer(0);
            List<DecoderFeeder.Outcome> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String packet = Latin1Serializer.random(random, random.nextInt(1200), random.nextBoolean());
                if (random.nextInt(10) == 0) {
                    packet = "!" + packet;
                }
                int start = stream.size();
                serializer.encode(packet, stream);
                boolean tooLarge = packet.length() > limit
                        || stream.size() - start > CompressedSerializer.maxCompressedSize(limit);
                expected.add(tooLarge ? failure(Reason.PACKET_TOO_LARGE, start)
                        : packet.startsWith("!") ? failure(Reason.INVALID_PACKET, start) : packet(packet));
            }
            DecoderFeeder<String> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));

            assertThat(RandomChunks.feed(feeder, stream.toByteArray(), random)).as("seed %d", seed)
                    .containsExactlyElementsOf(expected);
            assertThat(feeder.buffered()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompressionFormat.class)
    void garbageOnlyEverYieldsParseErrorsAndIsConsumedAsItArrives(CompressionFormat format) {
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer(format, JsonSerializer.tree(), 9)
                    .newDecoder(256));
            byte[] garbage = new byte[20_000];
            random.nextBytes(garbage);

            List<DecoderFeeder.Outcome> outcomes = RandomChunks.feed(feeder, garbage, random);

            assertThat(outcomes).as("seed %d", seed).isNotEmpty().allMatch(DecoderFeeder.Failure.class::isInstance);
            assertThat(feeder.buffered()).as("seed %d", seed).isZero();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static <T> CompressedSerializer<T> serializer(CompressionFormat format, PacketSerializer<T> inner,
            int level) {
        return switch (format) {
            case ZLIB -> CompressedSerializer.zlib(inner, level);
            case DEFLATE -> CompressedSerializer.deflate(inner, level);
            case GZIP -> CompressedSerializer.gzip(inner, level);
        };
    }

    private static <T> byte[] encode(CompressedSerializer<T> serializer, T packet) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(packet, out);
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] concat(byte[]... parts) {
        PacketBuffer out = new PacketBuffer(0);
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
