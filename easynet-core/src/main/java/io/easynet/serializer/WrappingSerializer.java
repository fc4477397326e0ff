package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamSerializer;
import java.io.Serial;

/**
 * The base of the serializers that wrap another one's bytes (base64, compression). It lets the packet limit of a
 * connection reach the inner serializers of a composition: in {@code base64(zlib(json))} the limit bounds the
 * base64 token, and it must also bound what the zlib layer inflates, or a small token could decompress to
 * gigabytes.
 */
abstract class WrappingSerializer<T> implements StreamSerializer<T>, PacketSerializer<T> {

    /** The bound on decompressed data when a one-shot caller gives none: EasyNetwork's default limit, 64 KiB. */
    static final int DEFAULT_MAX_SIZE = 64 * 1024;

    /**
     * The packet {@code data[offset, offset + length)} holds, with every decompressed form of it at most
     * {@code maxSize} bytes.
     *
     * @throws PacketTooLargeException if a decompressed form is larger than {@code maxSize}
     */
    abstract T deserialize(byte[] data, int offset, int length, int maxSize) throws DeserializeException;

    /** Has {@code inner} deserialize, passing the limit on when it is a wrapper too. */
    static <T> T deserialize(PacketSerializer<T> inner, byte[] data, int offset, int length, int maxSize)
            throws DeserializeException {
        if (inner instanceof WrappingSerializer<T> wrapper) {
            return wrapper.deserialize(data, offset, length, maxSize);
        }
        return inner.deserialize(data, offset, length);
    }

    /** Bytes that would decompress to more than the limit; in a stream, a {@code PACKET_TOO_LARGE} error. */
    static final class PacketTooLargeException extends DeserializeException {

        @Serial
        private static final long serialVersionUID = 1L;

        PacketTooLargeException(String message) {
            super(message);
        }
    }
}
