package io.easynet.serializer;

import io.easynet.internal.protocol.ByteSearch;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamProtocolParseException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A decoder for packets that each end with a separator: finds it, enforces the size limit and hands the packet's
 * bytes, in place, to {@link #parse}.
 *
 * <p>It remembers how far it has already scanned, so a packet that arrives in many reads is scanned once. A
 * packet that grows past the limit is reported as soon as the limit is passed and its remaining bytes are skipped
 * up to the next separator, so the connection stays usable and nothing is buffered beyond the limit.
 */
abstract class DelimitedDecoder<T> implements StreamDecoder<T> {

    private final byte[] separator;

    private final int maxPacketSize;

    private long streamOffset;

    private int scanned;

    private boolean discarding;

    DelimitedDecoder(byte[] separator, int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        this.separator = separator;
        this.maxPacketSize = maxPacketSize;
    }

    /**
     * Parses the bytes of one packet, separator excluded.
     *
     * @param streamOffset where the packet starts in the connection's stream, for error messages
     */
    abstract T parse(byte[] array, int offset, int length, long streamOffset) throws StreamProtocolParseException;

    @Override
    public final boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
        byte[] array = buffer.array();
        int base = buffer.arrayOffset();
        while (true) {
            int start = buffer.position();
            int end = buffer.limit();
            int found = ByteSearch.indexOf(array, base + start + scanned, base + end, separator);
            if (found < 0) {
                // Keep the bytes that may be the start of a separator split across reads.
                int complete = Math.max(0, end - start - (separator.length - 1));
                if (discarding) {
                    consume(buffer, complete);
                    return false;
                }
                scanned = complete;
                if (complete > maxPacketSize) {
                    long packetStart = streamOffset;
                    discarding = true;
                    consume(buffer, complete);
                    throw tooLarge(packetStart, complete);
                }
                return false;
            }
            int length = found - base - start;
            long packetStart = streamOffset;
            consume(buffer, length + separator.length);
            if (discarding) {
                // stop at the end of the refused packet, so that the caller can place what came with its bytes
                discarding = false;
                return false;
            }
            if (length > maxPacketSize) {
                throw tooLarge(packetStart, length);
            }
            sink.accept(parse(array, base + start, length, packetStart));
            return true;
        }
    }

    @Override
    public final boolean isSkipping() {
        return discarding;
    }

    private void consume(ByteBuffer buffer, int count) {
        buffer.position(buffer.position() + count);
        streamOffset += count;
        scanned = 0;
    }

    private StreamProtocolParseException tooLarge(long packetStart, int seen) {
        return new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart,
                "packet of at least " + seen + " bytes is larger than the " + maxPacketSize
                        + "-byte limit; skipped up to the next separator");
    }
}
