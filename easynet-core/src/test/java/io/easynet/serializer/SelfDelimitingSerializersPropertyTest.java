package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Seeded-random properties shared by the serializers whose values are written back to back: CBOR and Smile. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SelfDelimitingSerializersPropertyTest {

    private static final int RUNS = 25;

    static Stream<Arguments> serializersAndSeeds() {
        return Stream.of(CborSerializer.tree(), SmileSerializer.tree())
                .flatMap(serializer -> IntStream.range(0, RUNS).mapToObj(seed -> Arguments.of(serializer, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("serializersAndSeeds")
    void packetsSplitAtRandomBoundariesDecodeToTheSamePackets(JacksonBinarySerializer<JsonNode> serializer,
            int seed) throws DeserializeException {
        Random random = new Random(seed);
        List<JsonNode> packets = new ArrayList<>();
        PacketBuffer stream = new PacketBuffer(0);
        for (int i = random.nextInt(20) + 1; i > 0; i--) {
            JsonNode tree = RandomTrees.tree(random);
            packets.add(tree);
            serializer.encode(tree, stream);
            byte[] alone = serializer.serialize(tree);
            assertThat(serializer.deserialize(alone, 0, alone.length)).isEqualTo(tree);
        }
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(1 << 20));

        List<DecoderFeeder.Outcome> outcomes = feedInRandomChunks(feeder, stream.toByteArray(), random, 1 << 20);

        assertThat(outcomes).containsExactlyElementsOf(packets.stream().map(DecoderFeeder::packet).toList());
        assertThat(feeder.buffered()).isZero();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("serializersAndSeeds")
    void limitIsEnforcedPerValueAtAnySplitAndTheFollowingValuesStillDecode(
            JacksonBinarySerializer<JsonNode> serializer, int seed) {
        Random random = new Random(seed);
        int limit = 40 + random.nextInt(60);
        List<DecoderFeeder.Outcome> expected = new ArrayList<>();
        PacketBuffer stream = new PacketBuffer(0);
        for (int i = random.nextInt(20) + 1; i > 0; i--) {
            JsonNode tree = RandomTrees.tree(random);
            int start = stream.size();
            serializer.encode(tree, stream);
            expected.add(stream.size() - start > limit ? failure(Reason.PACKET_TOO_LARGE, start) : packet(tree));
        }
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));

        List<DecoderFeeder.Outcome> outcomes = feedInRandomChunks(feeder, stream.toByteArray(), random, limit);

        assertThat(outcomes).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("serializersAndSeeds")
    void randomGarbageYieldsOnlyParseErrorsOrPacketsAndIsAlwaysConsumed(JacksonBinarySerializer<JsonNode> serializer,
            int seed) {
        Random random = new Random(seed);
        byte[] garbage = RandomTrees.bytes(random, 1 + random.nextInt(3000));
        if (random.nextBoolean()) {
            // Start like a real value, so the garbage is not refused at its first byte only.
            byte[] valid = serializer.serialize(RandomTrees.tree(random));
            System.arraycopy(valid, 0, garbage, 0, Math.min(valid.length, garbage.length) / 2);
        }
        int limit = 64 + random.nextInt(512);
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));

        // DecoderFeeder fails the test on any other exception, and on a packet or error that consumed nothing.
        feedInRandomChunks(feeder, garbage, random, limit);

        assertThat(feeder.failures()).allSatisfy(failure -> assertThat(failure.getMessage()).isNotBlank());
    }

    /**
     * Feeds {@code stream} in chunks of random sizes, one byte at a time for stretches, and checks after every
     * chunk that the decoder holds no more than the limit plus a CBOR head.
     */
    static List<DecoderFeeder.Outcome> feedInRandomChunks(DecoderFeeder<?> feeder, byte[] stream, Random random,
            int limit) {
        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        int offset = 0;
        while (offset < stream.length) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(8);
                case 2 -> 1 + random.nextInt(200);
                default -> stream.length;
            };
            int end = Math.min(stream.length, offset + size);
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(stream, offset, end)));
            assertThat(feeder.buffered()).as("bytes held after %d of %d", end, stream.length)
                    .isLessThanOrEqualTo(limit + 8);
            offset = end;
        }
        return outcomes;
    }
}
