package io.easynet.serializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Feeds a stream to a decoder the way reads would deliver it: cut at random places, sometimes byte by byte. */
final class RandomChunks {

    private RandomChunks() {
    }

    /** Feeds {@code stream} in random chunks and returns everything decoded. */
    static List<DecoderFeeder.Outcome> feed(DecoderFeeder<?> feeder, byte[] stream, Random random) {
        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        int maxChunk = switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 7;
            case 2 -> 300;
            default -> Math.max(1, stream.length);
        };
        int position = 0;
        while (position < stream.length) {
            int chunk = Math.min(stream.length - position, 1 + random.nextInt(maxChunk));
            outcomes.addAll(feeder.feed(Arrays.copyOfRange(stream, position, position + chunk)));
            position += chunk;
        }
        return outcomes;
    }
}
