package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamSerializer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Length-prefixed frames: each packet is a 4-byte big-endian unsigned length followed by that many bytes.
 *
 * <p>The announced length is checked against the limit before anything is allocated. A frame announced larger
 * than the limit is reported at once and its body is skipped as it arrives, without being buffered, so the
 * connection stays usable afterwards.
 */
public final class LengthPrefixedSerializer implements StreamSerializer<byte[]> {

    /** The one instance; the serializer has no settings yet. */
    public static final LengthPrefixedSerializer INSTANCE = new LengthPrefixedSerializer();

    private static final int HEADER_SIZE = Integer.BYTES;

    private LengthPrefixedSerializer() {
    }

    @Override
    public void encode(byte[] packet, PacketBuffer out) {
        int length = packet.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(packet, 0, length);
    }

    @Override
    public StreamDecoder<byte[]> newDecoder(int maxPacketSize) {
        if (maxPacketSize <= 0) {
            throw new IllegalArgumentException("maxPacketSize must be positive, got " + maxPacketSize);
        }
        return new Decoder(maxPacketSize);
    }

    @Override
    public String toString() {
        return "LengthPrefixedSerializer[4 bytes, big-endian]";
    }

    private static final class Decoder implements StreamDecoder<byte[]> {

        private final int maxPacketSize;

        private long streamOffset;

        private long skipping;

        Decoder(int maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
        }

        @Override
        public boolean decode(ByteBuffer buffer, Consumer<? super byte[]> sink) throws StreamProtocolParseException {
            if (skipping > 0) {
                decodeSkip(buffer);
                if (skipping > 0) {
                    return false;
                }
            }
            if (buffer.remaining() < HEADER_SIZE) {
                return false;
            }
            int start = buffer.position();
            long length = readUnsignedInt(buffer.array(), buffer.arrayOffset() + start);
            if (length > maxPacketSize) {
                long packetStart = streamOffset;
                consume(buffer, HEADER_SIZE);
                skipping = length;
                decodeSkip(buffer);
                throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, "frame of " + length
                        + " bytes is larger than the " + maxPacketSize + "-byte limit; its body is skipped");
            }
            if (buffer.remaining() < HEADER_SIZE + length) {
                return false;
            }
            int bodyStart = buffer.arrayOffset() + start + HEADER_SIZE;
            consume(buffer, HEADER_SIZE + (int) length);
            sink.accept(Arrays.copyOfRange(buffer.array(), bodyStart, bodyStart + (int) length));
            return true;
        }

        private void decodeSkip(ByteBuffer buffer) {
            int skipped = (int) Math.min(skipping, buffer.remaining());
            consume(buffer, skipped);
            skipping -= skipped;
        }

        private static long readUnsignedInt(byte[] array, int index) {
            return (array[index] & 0xFFL) << 24 | (array[index + 1] & 0xFFL) << 16
                    | (array[index + 2] & 0xFFL) << 8 | (array[index + 3] & 0xFFL);
        }

        private void consume(ByteBuffer buffer, int count) {
            buffer.position(buffer.position() + count);
            streamOffset += count;
        }
    }
}
