package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded-random streams for the property tests of the framing serializers: packets encoded back to back, cut at
 * random boundaries (one-byte chunks included) and fed to a decoder through {@link DecoderFeeder}, which checks
 * the decoder contract on every call.
 */
final class RandomStreams {

    private RandomStreams() {
    }

    /** The packets encoded one after the other, as a connection sends them. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through a List view
    static <T> byte[] encodeAll(StreamSerializer<T> serializer, T... packets) {
        return encodeAll(serializer, Arrays.asList(packets));
    }

    /** The packets encoded one after the other, as a connection sends them. */
    static <T> byte[] encodeAll(StreamSerializer<T> serializer, List<T> packets) {
        PacketBuffer out = new PacketBuffer(0);
        packets.forEach(packet -> serializer.encode(packet, out));
        return out.toByteArray();
    }

    /** Where a stream of {@code length} bytes is cut: a third of the chunks are one byte, the rest up to 300. */
    static List<Integer> randomChunkSizes(int length, Random random) {
        List<Integer> sizes = new ArrayList<>();
        for (int fed = 0; fed < length; ) {
            int size = Math.min(length - fed, random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(300));
            sizes.add(size);
            fed += size;
        }
        return sizes;
    }

    /**
     * Feeds {@code stream} to {@code decoder} in random chunks and returns what came out, checking after every
     * chunk that the decoder holds on to at most {@code maxBuffered} bytes.
     */
    static <T> List<DecoderFeeder.Outcome> feedInRandomChunks(StreamDecoder<T> decoder, byte[] stream, Random random,
            int maxBuffered) {
        DecoderFeeder<T> feeder = new DecoderFeeder<>(decoder);
        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        int fed = 0;
        for (int size : randomChunkSizes(stream.length, random)) {
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(stream, fed, fed + size)));
            fed += size;
            assertThat(feeder.buffered()).as("bytes held after %d of %d", fed, stream.length)
                    .isLessThanOrEqualTo(maxBuffered);
        }
        return outcomes;
    }

    /**
     * Feeds {@code length} random bytes in random chunks: the decoder must only ever hand packets or throw parse
     * errors, consume what it throws on, never hold more than {@code maxBuffered} bytes, and so never hang.
     */
    static void feedGarbage(StreamDecoder<?> decoder, Random random, int length, int maxBuffered) {
        byte[] garbage = new byte[length];
        random.nextBytes(garbage);
        feedInRandomChunks(decoder, garbage, random, maxBuffered);
    }

    /** {@code length} random bytes. */
    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
