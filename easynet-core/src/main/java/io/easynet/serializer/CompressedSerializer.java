package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

/**
 * Another serializer's bytes, compressed with zlib, bare deflate or gzip: each packet is one complete compressed
 * stream, with no length prefix and no separator, as EasyNetwork's {@code ZlibCompressorSerializer} writes it.
 *
 * <p>The stream's own end marker says where the next packet starts. Received streams are inflated as their bytes
 * arrive, with the decompression state kept between reads. The connection's packet limit applies to the inflated
 * bytes, so a small "zip bomb" is refused without inflating more than the limit, and also to the compressed bytes
 * on the wire, with an allowance for what compression adds to incompressible data: the limit plus 1/1024 of it plus
 * 64 bytes. A packet past either limit is reported at once and the rest of its stream skipped. A packet that the
 * inner serializer refuses is a parse error for that packet only. Corrupt compressed data has no end marker to
 * resynchronize on: every byte received so far is dropped, as in EasyNetwork, and the next bytes received are read
 * as a new packet, so a connection that reports one is best closed.
 *
 * <pre>{@code
 * StreamProtocol.of(CompressedSerializer.zlib(JsonSerializer.of(Order.class)))
 * }</pre>
 *
 * <p>bzip2 (EasyNetwork's {@code BZ2CompressorSerializer}) is not offered: the JDK has no bzip2 codec, and Apache
 * Commons Compress's pulls from a blocking {@code InputStream}, so a decoder handed bytes as they arrive would have
 * to buffer each compressed packet whole and decompress it again from its start on every read.
 *
 * @param <T> the packet type
 */
public final class CompressedSerializer<T> extends WrappingSerializer<T> {

    /** The compression level used unless one is given: 9, the best compression, as EasyNetwork's default. */
    public static final int DEFAULT_LEVEL = Deflater.BEST_COMPRESSION;

    private final CompressionFormat format;

    private final PacketSerializer<T> inner;

    private final int level;

    private CompressedSerializer(CompressionFormat format, PacketSerializer<T> inner, int level) {
        this.format = format;
        this.inner = Objects.requireNonNull(inner, "inner");
        if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be between -1 (zlib's default, 6) and 9, got "
                    + level);
        }
        this.level = level;
    }

    /**
     * zlib streams (RFC 1950) at level 9: EasyNetwork's {@code ZlibCompressorSerializer} with its defaults, and
     * Python's {@code zlib.compress(data, 9)}.
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     * @return the serializer
     */
    public static <T> CompressedSerializer<T> zlib(PacketSerializer<T> inner) {
        return zlib(inner, DEFAULT_LEVEL);
    }

    /**
     * zlib streams (RFC 1950) at {@code level}, from 0 (stored) to 9 (best), or -1 for zlib's default.
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     * @param level the compression level, from 0 (none) to 9 (best)
     * @return the serializer
     */
    public static <T> CompressedSerializer<T> zlib(PacketSerializer<T> inner, int level) {
        return new CompressedSerializer<>(CompressionFormat.ZLIB, inner, level);
    }

    /**
     * {@return bare deflate data (RFC 1951) at level 9, without header or checksum: Python's {@code wbits=-15}}
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     */
    public static <T> CompressedSerializer<T> deflate(PacketSerializer<T> inner) {
        return deflate(inner, DEFAULT_LEVEL);
    }

    /**
     * {@return bare deflate data (RFC 1951) at {@code level}, from 0 (stored) to 9 (best), or -1 for zlib's default}
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     * @param level the compression level, from 0 (none) to 9 (best)
     */
    public static <T> CompressedSerializer<T> deflate(PacketSerializer<T> inner, int level) {
        return new CompressedSerializer<>(CompressionFormat.DEFLATE, inner, level);
    }

    /**
     * {@return one gzip member (RFC 1952) per packet at level 9, with a CRC-32 of the data: Python's {@code
     * gzip.compress(data, 9, mtime=0)}} Received members may carry any of the optional header fields.
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     */
    public static <T> CompressedSerializer<T> gzip(PacketSerializer<T> inner) {
        return gzip(inner, DEFAULT_LEVEL);
    }

    /**
     * {@return one gzip member (RFC 1952) per packet at {@code level}, from 0 (stored) to 9 (best), or -1 for the
     * default}
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before compression
     * @param level the compression level, from 0 (none) to 9 (best)
     */
    public static <T> CompressedSerializer<T> gzip(PacketSerializer<T> inner, int level) {
        return new CompressedSerializer<>(CompressionFormat.GZIP, inner, level);
    }

    /**
     * The most compressed bytes a packet may take on the wire under the packet limit {@code maxPacketSize}: the
     * limit plus 1/1024 of it plus 64 bytes. That covers what deflate adds to incompressible data (zlib's
     * {@code compressBound} allows about 1/3000 of it plus 13 bytes) and the zlib or gzip header and trailer.
     */
    static long maxCompressedSize(int maxPacketSize) {
        return maxPacketSize + maxPacketSize / 1024L + 64;
    }

    /** One complete compressed stream of the inner serializer's bytes. */
    @Override
    public byte[] serialize(T packet) {
        PacketBuffer out = new PacketBuffer(64);
        encode(packet, out);
        return out.toByteArray();
    }

    /** Writes one complete compressed stream of the inner serializer's bytes; nothing frames it. */
    @Override
    public void encode(T packet, PacketBuffer out) {
        format.compress(inner.serialize(packet), level, out);
    }

    /**
     * The packet one complete compressed stream {@code data[offset, offset + length)} holds, inflated to 64 KiB at
     * most; nothing may follow the stream.
     */
    @Override
    public T deserialize(byte[] data, int offset, int length) throws DeserializeException {
        return deserialize(data, offset, length, DEFAULT_MAX_SIZE);
    }

    /**
     * The packet one complete compressed stream {@code data[offset, offset + length)} holds, refused if it inflates
     * to more than {@code maxSize} bytes; nothing may follow the stream.
     */
    @Override
    public T deserialize(byte[] data, int offset, int length, int maxSize) throws DeserializeException {
        Objects.checkFromIndexSize(offset, length, data.length);
        Inflation inflation = new Inflation(format);
        try {
            int used = inflation.inflate(data, offset, length, maxSize);
            if (inflation.outputSize() > maxSize) {
                throw new PacketTooLargeException(format + " data inflates to more than the " + maxSize
                        + "-byte limit");
            }
            if (!inflation.finished()) {
                throw new DeserializeException(format + " stream is truncated: " + length
                        + " bytes end before its end marker: " + BytePreview.of(data, offset, length));
            }
            if (used < length) {
                throw new DeserializeException((length - used) + " bytes follow the end of the " + format
                        + " stream: " + BytePreview.of(data, offset + used, length - used));
            }
            return deserialize(inner, inflation.output(), 0, inflation.outputSize(), maxSize);
        } catch (DataFormatException e) {
            throw new DeserializeException("corrupt " + format + " data: " + e.getMessage(), e);
        } finally {
            inflation.end();
        }
    }

    /**
     * A decoder that inflates each stream as its bytes arrive, refusing a packet that inflates to more than
     * {@code maxPacketSize} bytes or takes more than that plus the allowance for incompressible data on the wire.
     */
    @Override
    public StreamDecoder<T> newDecoder(int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        return new CompressedDecoder<>(format, inner, maxPacketSize);
    }

    @Override
    public String toString() {
        return "CompressedSerializer[" + format + ", level " + level + ", " + inner + "]";
    }
}
