package io.easynet.serializer;

import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Drives a {@link StreamDecoder} the way a connection does: bytes arrive in chunks, the unread ones are kept
 * between reads, and {@code decode} is called until it asks for more bytes (and again after it stops at the end of
 * a refused packet it skipped).
 *
 * <p>The buffer handed to the decoder is a slice that starts {@value #ARRAY_OFFSET} bytes into its backing
 * array, preceded by filler bytes, so a decoder that ignored {@link ByteBuffer#arrayOffset()} would misread.
 */
final class DecoderFeeder<T> {

    static final int ARRAY_OFFSET = 3;

    private static final byte FILLER = '\n';

    /** What one call of {@code decode} produced. */
    sealed interface Outcome permits Packet, Failure {
    }

    /** A packet handed to the sink. */
    record Packet(@Nullable Object value) implements Outcome {
    }

    /** A parse error, by reason and stream offset; its message is in {@link #failures()}. */
    record Failure(Reason reason, long streamOffset) implements Outcome {
    }

    private final StreamDecoder<T> decoder;

    private ByteBuffer buffer = ByteBuffer.allocate(0);

    private final List<StreamProtocolParseException> failures = new ArrayList<>();

    DecoderFeeder(StreamDecoder<T> decoder) {
        this.decoder = decoder;
    }

    static Packet packet(@Nullable Object value) {
        return new Packet(value);
    }

    static Failure failure(Reason reason, long streamOffset) {
        return new Failure(reason, streamOffset);
    }

    /** Appends {@code text} in UTF-8 and decodes. */
    List<Outcome> feed(String text) {
        return feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code bytes} after the unread bytes and decodes until more bytes are needed. */
    List<Outcome> feed(byte[] bytes) {
        int unread = buffer.remaining();
        byte[] array = new byte[ARRAY_OFFSET + unread + bytes.length];
        Arrays.fill(array, 0, ARRAY_OFFSET, FILLER);
        buffer.get(array, ARRAY_OFFSET, unread);
        System.arraycopy(bytes, 0, array, ARRAY_OFFSET + unread, bytes.length);
        buffer = ByteBuffer.wrap(array, ARRAY_OFFSET, unread + bytes.length).slice();
        return drain();
    }

    /** Feeds {@code bytes} one byte at a time and returns everything decoded along the way. */
    List<Outcome> feedByteByByte(byte[] bytes) {
        List<Outcome> outcomes = new ArrayList<>();
        for (byte b : bytes) {
            outcomes.addAll(feed(new byte[] {b}));
        }
        return outcomes;
    }

    /** How many received bytes the decoder has left unconsumed, i.e. is holding on to. */
    int buffered() {
        return buffer.remaining();
    }

    /** Every parse error so far, in order. */
    List<StreamProtocolParseException> failures() {
        return failures;
    }

    private List<Outcome> drain() {
        List<Outcome> outcomes = new ArrayList<>();
        while (true) {
            List<@Nullable Object> sunk = new ArrayList<>();
            int before = buffer.position();
            try {
                boolean wasSkipping = decoder.isSkipping();
                boolean decoded = decoder.decode(buffer, sunk::add);
                if (!decoded) {
                    if (!sunk.isEmpty()) {
                        throw new AssertionError("decode returned false but handed " + sunk + " to the sink");
                    }
                    if (wasSkipping && !decoder.isSkipping()) {
                        // it stopped at the end of a refused packet: decoding goes on after it
                        continue;
                    }
                    return outcomes;
                }
                if (sunk.size() != 1) {
                    throw new AssertionError("decode returned true but handed " + sunk + " to the sink");
                }
                if (buffer.position() == before) {
                    throw new AssertionError("decode returned a packet without consuming any byte");
                }
                outcomes.add(new Packet(sunk.getFirst()));
            } catch (StreamProtocolParseException e) {
                if (!sunk.isEmpty()) {
                    throw new AssertionError("decode threw but handed " + sunk + " to the sink", e);
                }
                if (buffer.position() == before) {
                    throw new AssertionError("decode threw without consuming the bad packet's bytes", e);
                }
                failures.add(e);
                outcomes.add(new Failure(e.reason(), e.streamOffset()));
            }
        }
    }
}
