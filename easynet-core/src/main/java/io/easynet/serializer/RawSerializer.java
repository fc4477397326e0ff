package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamSerializer;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Raw bytes with no framing: whatever one read returns is one packet, and a sent packet is written as is.
 *
 * <p>Meant for echo servers, proxies and benchmarks, where the bytes need no meaning. A read returns at most the
 * packet limit or the receive buffer size, whichever is smaller. The bytes take the fewest copies a heap array
 * allows: a connection reads them into a direct buffer, from which the decoder copies them into the packet, and
 * writes a sent packet from its own array ({@link #frameOf}).
 */
public final class RawSerializer implements StreamSerializer<byte[]> {

    /** The one instance; the serializer has no settings. */
    public static final RawSerializer INSTANCE = new RawSerializer();

    private RawSerializer() {
    }

    @Override
    public void encode(byte[] packet, PacketBuffer out) {
        out.write(packet, 0, packet.length);
    }

    /** {@return {@code packet} itself, which is its whole frame} */
    @Override
    public byte[] frameOf(byte[] packet) {
        return packet;
    }

    @Override
    public StreamDecoder<byte[]> newDecoder(int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        return new Decoder(maxPacketSize);
    }

    @Override
    public String toString() {
        return "RawSerializer";
    }

    /** Cuts what the buffer holds, up to the limit, into one packet; reads heap and direct buffers alike. */
    private record Decoder(int maxPacketSize) implements StreamDecoder<byte[]> {

        @Override
        public boolean decode(ByteBuffer buffer, Consumer<? super byte[]> sink) {
            int length = Math.min(buffer.remaining(), maxPacketSize);
            if (length == 0) {
                return false;
            }
            byte[] packet = new byte[length];
            buffer.get(packet);
            sink.accept(packet);
            return true;
        }

        @Override
        public boolean acceptsDirectBuffers() {
            return true;
        }
    }
}
