package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamSerializer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The base of serializers whose packets each end with a separator, as EasyNetwork's
 * {@code AutoSeparatedPacketSerializer}: write the one-shot {@link #serialize}/{@link #deserialize} pair, and this
 * class frames it for streams.
 *
 * <p>On the wire a packet is its bytes followed by the separator; a packet whose bytes contain the separator is
 * refused, since the peer would read it as two. Received packets are cut at the separator in place (no copy), and
 * one longer than the limit is reported as soon as the limit is passed and skipped up to the next separator, so the
 * connection stays usable. A {@link DeserializeException} becomes a {@link StreamProtocolParseException} that says
 * where the packet starts, and the next packet is read normally.
 *
 * <pre>{@code
 * final class CsvSerializer extends DelimitedSerializer<List<String>> {
 *     CsvSerializer() { super(new byte[] {'\n'}); }
 *     public byte[] serialize(List<String> row) { return String.join(",", row).getBytes(UTF_8); }
 *     public List<String> deserialize(byte[] data, int offset, int length) {
 *         return List.of(new String(data, offset, length, UTF_8).split(","));
 *     }
 * }
 * }</pre>
 *
 * @param <T> the packet type
 */
public abstract class DelimitedSerializer<T> implements StreamSerializer<T>, PacketSerializer<T> {

    private final byte[] separator;

    /**
     * Creates the serializer.
     *
     * @param separator the bytes that end each packet: 1 to 32 of them
     */
    protected DelimitedSerializer(byte[] separator) {
        this.separator = Separator.checked(separator);
    }

    /** {@return the bytes that end each packet; a fresh copy} */
    public final byte[] separator() {
        return separator.clone();
    }

    @Override
    public final void encode(T packet, PacketBuffer out) {
        int start = out.size();
        write(packet, out);
        int found = out.indexOf(separator, start);
        if (found >= 0) {
            byte[] bytes = Arrays.copyOfRange(out.toByteArray(), start, out.size());
            out.truncate(start);
            throw new IllegalArgumentException(getClass().getSimpleName() + " cannot send a packet whose bytes "
                    + "contain its separator " + BytePreview.of(separator, 0, separator.length)
                    + " (the peer would read two packets): " + BytePreview.of(bytes, 0, bytes.length));
        }
        out.write(separator, 0, separator.length);
    }

    /**
     * Writes the bytes of one packet, without the separator, at the end of {@code out}. By default the bytes of
     * {@link #serialize}; a subclass that can write into the buffer directly overrides this to skip a copy.
     *
     * @param packet the packet to write
     * @param out the buffer the bytes are appended to, before the delimiter
     */
    protected void write(T packet, PacketBuffer out) {
        byte[] bytes = serialize(packet);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public final StreamDecoder<T> newDecoder(int maxPacketSize) {
        return new DelimitedDecoder<>(separator, maxPacketSize) {
            @Override
            T parse(byte[] array, int offset, int length, long streamOffset) throws StreamProtocolParseException {
                try {
                    return deserialize(array, offset, length);
                } catch (DeserializeException e) {
                    // the parser's own exception, when there is one, says more than the wrapper
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    throw new StreamProtocolParseException(Reason.INVALID_PACKET, streamOffset, e.getMessage(), cause);
                }
            }
        };
    }
}
