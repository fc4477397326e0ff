package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamSerializer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Length-prefixed frames: each packet is an unsigned length of 1, 2, 4 or 8 bytes, big- or little-endian, followed
 * by that many bytes, which are raw bytes ({@link #INSTANCE}) or the one-shot form of another serializer
 * ({@link #of(PacketSerializer)}, e.g. JSON documents without their newline).
 *
 * <p>The announced length is checked against the limit before anything is allocated. A frame announced larger
 * than the limit (or, with an 8-byte prefix, larger than {@link Long#MAX_VALUE}) is reported right after its
 * prefix and its body is skipped as it arrives, without being buffered, so the connection stays usable. A body the
 * inner serializer refuses is reported as {@link Reason#INVALID_PACKET}; the frame is consumed and the next one is
 * read normally.
 *
 * <pre>{@code
 * StreamSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree());
 * StreamSerializer<byte[]> small = LengthPrefixedSerializer.INSTANCE.withPrefix(2, ByteOrder.LITTLE_ENDIAN);
 * }</pre>
 *
 * @param <T> the packet type
 */
public final class LengthPrefixedSerializer<T> implements StreamSerializer<T> {

    /** Raw byte arrays behind a 4-byte big-endian length. */
    public static final LengthPrefixedSerializer<byte[]> INSTANCE =
            new LengthPrefixedSerializer<>(RawBytes.INSTANCE, Integer.BYTES, ByteOrder.BIG_ENDIAN);

    private final PacketSerializer<T> inner;

    private final int prefixSize;

    private final ByteOrder byteOrder;

    /** The largest length the prefix can express, unsigned; -1 stands for 2^64 - 1. */
    private final long maxLength;

    private LengthPrefixedSerializer(PacketSerializer<T> inner, int prefixSize, ByteOrder byteOrder) {
        this.inner = inner;
        this.prefixSize = prefixSize;
        this.byteOrder = byteOrder;
        this.maxLength = prefixSize == Long.BYTES ? -1 : (1L << (8 * prefixSize)) - 1;
    }

    /**
     * {@return packets of {@code inner}, each behind a 4-byte big-endian length; change the prefix with {@link
     * #withPrefix}}
     *
     * @param <T> the type of the packets
     * @param inner the serializer of each packet's bytes
     */
    public static <T> LengthPrefixedSerializer<T> of(PacketSerializer<T> inner) {
        return new LengthPrefixedSerializer<>(Objects.requireNonNull(inner, "inner"), Integer.BYTES,
                ByteOrder.BIG_ENDIAN);
    }

    /**
     * {@return the same packets behind a length of {@code size} bytes in {@code order}}
     *
     * @param size 1, 2, 4 or 8
     * @param order the byte order of the length
     */
    public LengthPrefixedSerializer<T> withPrefix(int size, ByteOrder order) {
        Objects.requireNonNull(order, "order");
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("length prefix must be 1, 2, 4 or 8 bytes, got " + size);
        }
        return new LengthPrefixedSerializer<>(inner, size, order);
    }

    /**
     * Writes the length of the packet's bytes, then the bytes.
     *
     * @throws IllegalArgumentException if the packet's bytes are longer than the prefix can express, or the inner
     *     serializer cannot represent the packet
     */
    @Override
    public void encode(T packet, PacketBuffer out) {
        byte[] body = inner.serialize(packet);
        int length = body.length;
        if (maxLength >= 0 && length > maxLength) {
            throw new IllegalArgumentException("packet of " + length + " bytes is longer than a " + prefixSize
                    + "-byte length prefix can express (at most " + maxLength + ")");
        }
        boolean bigEndian = byteOrder == ByteOrder.BIG_ENDIAN;
        for (int i = 0; i < prefixSize; i++) {
            int shift = 8 * (bigEndian ? prefixSize - 1 - i : i);
            out.write(shift < Integer.SIZE ? length >>> shift : 0);
        }
        out.write(body, 0, length);
    }

    @Override
    public StreamDecoder<T> newDecoder(int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        return new Decoder(maxPacketSize);
    }

    @Override
    public String toString() {
        return "LengthPrefixedSerializer[" + prefixSize + "-byte " + (byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little")
                + "-endian length, " + inner + "]";
    }

    private final class Decoder implements StreamDecoder<T> {

        private final int maxPacketSize;

        private long streamOffset;

        /** Bytes of a refused frame still to skip, unsigned: an 8-byte prefix can announce more than 2^63. */
        private long skipping;

        Decoder(int maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
        }

        @Override
        public boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
            if (skipping != 0) {
                // stop at the end of the refused packet, so that the caller can place what came with its bytes
                skip(buffer);
                return false;
            }
            if (buffer.remaining() < prefixSize) {
                return false;
            }
            int start = buffer.position();
            long length = readLength(buffer.array(), buffer.arrayOffset() + start);
            long packetStart = streamOffset;
            if (length < 0 || length > maxPacketSize) {
                consume(buffer, prefixSize);
                skipping = length;
                skip(buffer);
                throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, "frame of "
                        + Long.toUnsignedString(length) + " bytes is larger than the " + maxPacketSize
                        + "-byte limit; its body is skipped");
            }
            if (buffer.remaining() < prefixSize + length) {
                return false;
            }
            int bodyStart = buffer.arrayOffset() + start + prefixSize;
            consume(buffer, prefixSize + (int) length);
            T packet;
            try {
                packet = WrappingSerializer.deserialize(inner, buffer.array(), bodyStart, (int) length,
                        maxPacketSize);
            } catch (WrappingSerializer.PacketTooLargeException e) {
                throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, e.getMessage(), e);
            } catch (DeserializeException e) {
                // the parser's own exception, when there is one, says more than the wrapper
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart, e.getMessage(), cause);
            }
            sink.accept(packet);
            return true;
        }

        private long readLength(byte[] array, int index) {
            boolean bigEndian = byteOrder == ByteOrder.BIG_ENDIAN;
            long length = 0;
            for (int i = 0; i < prefixSize; i++) {
                length = length << 8 | (array[index + (bigEndian ? i : prefixSize - 1 - i)] & 0xFFL);
            }
            return length;
        }

        @Override
        public boolean isSkipping() {
            return skipping != 0;
        }

        private void skip(ByteBuffer buffer) {
            int skipped = Long.compareUnsigned(skipping, buffer.remaining()) < 0 ? (int) skipping : buffer.remaining();
            consume(buffer, skipped);
            skipping -= skipped;
        }

        private void consume(ByteBuffer buffer, int count) {
            buffer.position(buffer.position() + count);
            streamOffset += count;
        }
    }

    /** Raw bytes as the body: sent as they are, received as a copy that outlives the receive buffer. */
    private static final class RawBytes implements PacketSerializer<byte[]> {

        static final RawBytes INSTANCE = new RawBytes();

        @Override
        public byte[] serialize(byte[] packet) {
            // Only read, and before encode returns, so no copy is needed.
            return packet;
        }

        @Override
        public byte[] deserialize(byte[] data, int offset, int length) {
            return Arrays.copyOfRange(data, offset, offset + length);
        }

        @Override
        public String toString() {
            return "byte[]";
        }
    }
}
