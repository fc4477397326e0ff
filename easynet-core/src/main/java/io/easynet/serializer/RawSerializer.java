package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamSerializer;
import java.util.Arrays;

/**
 * Raw bytes with no framing: whatever one read returns is one packet, and a sent packet is written as is.
 *
 * <p>Meant for echo servers, proxies and benchmarks, where the bytes need no meaning. A read returns at most the
 * packet limit or the receive buffer size, whichever is smaller.
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

    @Override
    public StreamDecoder<byte[]> newDecoder(int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        return (buffer, sink) -> {
            int length = Math.min(buffer.remaining(), maxPacketSize);
            if (length == 0) {
                return false;
            }
            int start = buffer.position();
            buffer.position(start + length);
            sink.accept(Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + start,
                    buffer.arrayOffset() + start + length));
            return true;
        };
    }

    @Override
    public String toString() {
        return "RawSerializer";
    }
}
