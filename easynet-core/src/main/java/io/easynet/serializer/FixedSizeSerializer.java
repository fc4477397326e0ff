package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamSerializer;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The base of serializers whose packets all have the same size, as EasyNetwork's {@code FixedSizePacketSerializer}:
 * write the one-shot {@link #serialize}/{@link #deserialize} pair for exactly {@link #size()} bytes, and this class
 * frames it for streams.
 *
 * <p>There is no framing on the wire: packets follow each other, each {@code size} bytes. Received packets are cut
 * in place (no copy). A {@link DeserializeException} becomes a {@link StreamProtocolParseException} that says where
 * the packet starts, and since the next packet starts {@code size} bytes later, it is read normally. If
 * {@code size} is larger than the limit, every packet is reported as too large when its first byte arrives and
 * skipped.
 *
 * <pre>{@code
 * final class PointSerializer extends FixedSizeSerializer<Point> {
 *     PointSerializer() { super(8); }
 *     public byte[] serialize(Point p) { return ByteBuffer.allocate(8).putInt(p.x()).putInt(p.y()).array(); }
 *     public Point deserialize(byte[] data, int offset, int length) {
 *         ByteBuffer in = ByteBuffer.wrap(data, offset, length);
 *         return new Point(in.getInt(), in.getInt());
 *     }
 * }
 * }</pre>
 *
 * @param <T> the packet type
 */
public abstract class FixedSizeSerializer<T> implements StreamSerializer<T>, PacketSerializer<T> {

    private final int size;

    /**
     * Creates the serializer.
     *
     * @param size the number of bytes of every packet; positive
     */
    protected FixedSizeSerializer(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        this.size = size;
    }

    /** {@return the number of bytes of every packet} */
    public final int size() {
        return size;
    }

    /**
     * The bytes of one packet, exactly {@link #size()} of them.
     *
     * @throws IllegalArgumentException if the packet cannot be represented by this serializer
     */
    @Override
    public abstract byte[] serialize(T packet);

    /**
     * The packet {@code data[offset, offset + length)} holds. Streams always pass {@link #size()} bytes; a one-shot
     * caller may pass another length, which an implementation refuses with a {@link DeserializeException}.
     *
     * @throws DeserializeException saying what is wrong with the bytes
     */
    @Override
    public abstract T deserialize(byte[] data, int offset, int length) throws DeserializeException;

    /**
     * Writes the bytes of {@link #serialize}.
     *
     * @throws IllegalArgumentException if the packet cannot be represented, or {@link #serialize} returned a number
     *     of bytes other than {@link #size()}; nothing is written then
     */
    @Override
    public final void encode(T packet, PacketBuffer out) {
        byte[] bytes = serialize(packet);
        if (bytes.length != size) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " serialized a packet to " + bytes.length
                    + " bytes where its packets are exactly " + size + " bytes");
        }
        out.write(bytes, 0, size);
    }

    @Override
    public final StreamDecoder<T> newDecoder(int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        return new Decoder(maxPacketSize);
    }

    private final class Decoder implements StreamDecoder<T> {

        private final int maxPacketSize;

        private long streamOffset;

        private int skipping;

        Decoder(int maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
        }

        @Override
        public boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
            if (skipping > 0) {
                // stop at the end of the refused packet, so that the caller can place what came with its bytes
                skip(buffer);
                return false;
            }
            long packetStart = streamOffset;
            if (size > maxPacketSize) {
                if (!buffer.hasRemaining()) {
                    return false;
                }
                skipping = size;
                skip(buffer);
                throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, "packet of " + size
                        + " bytes is larger than the " + maxPacketSize + "-byte limit; skipped");
            }
            if (buffer.remaining() < size) {
                return false;
            }
            int start = buffer.arrayOffset() + buffer.position();
            consume(buffer, size);
            T packet;
            try {
                packet = deserialize(buffer.array(), start, size);
            } catch (DeserializeException e) {
                // the parser's own exception, when there is one, says more than the wrapper
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart, e.getMessage(), cause);
            }
            sink.accept(packet);
            return true;
        }

        @Override
        public boolean isSkipping() {
            return skipping > 0;
        }

        private void skip(ByteBuffer buffer) {
            int skipped = Math.min(skipping, buffer.remaining());
            consume(buffer, skipped);
            skipping -= skipped;
        }

        private void consume(ByteBuffer buffer, int count) {
            buffer.position(buffer.position() + count);
            streamOffset += count;
        }
    }
}
