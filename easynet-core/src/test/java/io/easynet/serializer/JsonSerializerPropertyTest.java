package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random streams of JSON documents, in both framings and both character modes, cut at random points: the
 * same documents come out, the limit holds, and neither bad documents nor garbage break the decoder.
 */
class JsonSerializerPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Characters that stress escaping and framing: quotes, backslashes, brackets, controls, non-ASCII. */
    private static final String[] TEXT = {"a", "z", " ", "/", "\"", "\\", "{", "}", "[", "]", "\n", "\r", "\t",
        "\u0000", "\u001f", "\u007f", "é", "\u2028", "日", "😀", "\\\"", "\\\\"};

    static Stream<Arguments> modes() {
        List<Arguments> modes = new ArrayList<>();
        for (boolean useLines : new boolean[] {true, false}) {
            for (boolean ensureAscii : new boolean[] {true, false}) {
                for (long seed = 1; seed <= 3; seed++) {
                    modes.add(Arguments.of(useLines, ensureAscii, seed));
                }
            }
        }
        return modes.stream();
    }

    @ParameterizedTest(name = "useLines={0} ensureAscii={1} seed={2}")
    @MethodSource("modes")
    void anySequenceOfDocumentsCutAnywhereDecodesToTheSameDocuments(boolean useLines, boolean ensureAscii,
            long seed) {
        Random random = new Random(seed);
        JsonSerializer<JsonNode> serializer = serializer(useLines, ensureAscii);
        List<JsonNode> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            packets.add(randomNode(random, 0));
        }
        PacketBuffer out = new PacketBuffer(0);
        packets.forEach(packet -> serializer.encode(packet, out));
        byte[] stream = out.toByteArray();
        List<DecoderFeeder.Outcome> expected = packets.stream().map(DecoderFeeder::packet)
                .map(DecoderFeeder.Outcome.class::cast).toList();

        for (int maxChunk : new int[] {1, 7, stream.length}) {
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(64 * 1024));
            assertThat(feedInChunks(feeder, stream, random, maxChunk, Integer.MAX_VALUE))
                    .as("chunks of at most %d bytes", maxChunk).isEqualTo(expected);
            assertThat(feeder.buffered()).isZero();
        }
    }

    @ParameterizedTest(name = "useLines={0} ensureAscii={1} seed={2}")
    @MethodSource("modes")
    void documentsOverTheLimitAreReportedAtTheirOffsetAndTheOthersDecodeWhereverTheStreamIsCut(boolean useLines,
            boolean ensureAscii, long seed) {
        Random random = new Random(seed);
        JsonSerializer<JsonNode> serializer = serializer(useLines, ensureAscii);
        List<JsonNode> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            packets.add(randomNode(random, 0));
        }
        // One document sits exactly at the limit; about half are over it.
        List<Integer> sizes = packets.stream().map(packet -> serializer.serialize(packet).length).toList();
        int limit = sizes.stream().sorted().toList().get(sizes.size() / 2);
        PacketBuffer out = new PacketBuffer(0);
        List<DecoderFeeder.Outcome> expected = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            long offset = out.size();
            serializer.encode(packets.get(i), out);
            expected.add(sizes.get(i) <= limit ? packet(packets.get(i)) : failure(Reason.PACKET_TOO_LARGE, offset));
        }
        byte[] stream = out.toByteArray();

        for (int maxChunk : new int[] {1, 5, 40, stream.length}) {
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));
            assertThat(feedInChunks(feeder, stream, random, maxChunk, limit))
                    .as("limit %d, chunks of at most %d bytes", limit, maxChunk).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "useLines={0} ensureAscii={1} seed={2}")
    @MethodSource("modes")
    void invalidDocumentsAreReportedAtTheirOffsetAndTheNextDocumentsStillDecode(boolean useLines,
            boolean ensureAscii, long seed) {
        Random random = new Random(seed);
        JsonSerializer<JsonNode> serializer = serializer(useLines, ensureAscii);
        // Each is invalid yet well framed in its mode, so the decoder can find where it ends.
        String[] invalid = useLines
                ? new String[] {"{bad\n", "[1,]\n", "\n", "nope\n", "{\"a\":1} 2\n", "\"open\n", "[\"\\x\"]\n"}
                : new String[] {"[1,]", "{\"a\"}", "[\"x\" \"y\"]", "tru\n", "1 2\n", "{]}", "\"\\x\""};
        PacketBuffer out = new PacketBuffer(0);
        List<DecoderFeeder.Outcome> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long offset = out.size();
            if (random.nextInt(3) == 0) {
                byte[] bad = invalid[random.nextInt(invalid.length)].getBytes(StandardCharsets.US_ASCII);
                out.write(bad, 0, bad.length);
                expected.add(failure(Reason.INVALID_PACKET, offset));
            } else {
                JsonNode packet = randomNode(random, 0);
                serializer.encode(packet, out);
                expected.add(packet(packet));
            }
        }
        byte[] stream = out.toByteArray();

        for (int maxChunk : new int[] {1, 9, stream.length}) {
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(64 * 1024));
            assertThat(feedInChunks(feeder, stream, random, maxChunk, Integer.MAX_VALUE))
                    .as("chunks of at most %d bytes", maxChunk).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "useLines={0} ensureAscii={1} seed={2}")
    @MethodSource("modes")
    void garbageOnlyEverYieldsParseErrorsAndALineAfterItStillDecodes(boolean useLines, boolean ensureAscii,
            long seed) {
        Random random = new Random(seed);
        JsonSerializer<JsonNode> serializer = serializer(useLines, ensureAscii);
        byte[] alphabet = {'{', '}', '[', ']', '"', '\\', ' ', '\n', '\r', '\t', '1', '-', 'e', 'n', 'u', 'l', ',',
            ':', 0x00, 0x1F, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xA9, (byte) 0xFF};
        int limit = 48;
        for (int round = 0; round < 150; round++) {
            byte[] garbage = new byte[random.nextInt(400)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));

            // DecoderFeeder fails on anything but a parse error, and on a call that neither consumes nor waits.
            List<DecoderFeeder.Outcome> outcomes = feedInChunks(feeder, garbage, random, 1 + random.nextInt(30),
                    limit);

            assertThat(outcomes).allSatisfy(outcome -> {
                if (outcome instanceof DecoderFeeder.Failure(Reason reason, long offset)) {
                    assertThat(offset).isBetween(0L, (long) garbage.length - 1);
                }
            });
            if (useLines) {
                List<DecoderFeeder.Outcome> after = feeder.feed("\n[1]\n");
                assertThat(after).last().isEqualTo(packet(NODES.arrayNode().add(1)));
            }
        }
    }

    private static JsonSerializer<JsonNode> serializer(boolean useLines, boolean ensureAscii) {
        return JsonSerializer.builder(JsonNode.class).useLines(useLines).ensureAscii(ensureAscii).build();
    }

    /** Feeds {@code stream} in random chunks of 1 to {@code maxChunk} bytes, checking the decoder's buffering. */
    private static List<DecoderFeeder.Outcome> feedInChunks(DecoderFeeder<JsonNode> feeder, byte[] stream,
            Random random, int maxChunk, int limit) {
        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int chunk = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(stream, at, at + chunk)));
            assertThat(feeder.buffered()).as("bytes held after %d", at + chunk).isLessThanOrEqualTo(limit);
            at += chunk;
        }
        return outcomes;
    }

    private static JsonNode randomNode(Random random, int depth) {
        return switch (random.nextInt(depth >= 3 ? 6 : 8)) {
            case 0 -> NODES.stringNode(randomText(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextBoolean() ? Long.MIN_VALUE + random.nextInt(1000)
                    : Long.MAX_VALUE - random.nextInt(1000));
            case 3 -> NODES.numberNode(BigInteger.valueOf(random.nextLong()).shiftLeft(64 + random.nextInt(64)));
            case 4 -> NODES.numberNode(randomDouble(random));
            case 5 -> switch (random.nextInt(3)) {
                case 0 -> NODES.booleanNode(true);
                case 1 -> NODES.booleanNode(false);
                default -> NODES.nullNode();
            };
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomNode(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(randomText(random), randomNode(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static double randomDouble(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> random.nextInt(100_000) / 100.0;
            default -> {
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(value));
                yield value;
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            text.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return text.toString();
    }
}
