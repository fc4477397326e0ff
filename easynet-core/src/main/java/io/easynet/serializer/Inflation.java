package io.easynet.serializer;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One compressed stream being inflated as its bytes arrive, container included: a zlib stream, bare deflate data,
 * or a gzip member, whose header and trailer the JDK's {@link Inflater} does not read and which are parsed here.
 *
 * <p>Input is consumed as it is fed: the {@link Inflater} keeps the decompression state between calls, so a stream
 * that arrives in many reads is inflated once. The output is collected in a buffer that grows up to one byte past
 * the caller's limit and no further, so a stream that inflates to gigabytes costs no more than the limit. One
 * instance is reused for every stream of a connection ({@link #reset()}).
 */
final class Inflation {

    private static final int FLAG_HEADER_CRC = 0x02;

    private static final int FLAG_EXTRA = 0x04;

    private static final int FLAG_NAME = 0x08;

    private static final int FLAG_COMMENT = 0x10;

    private static final int FLAGS_RESERVED = 0xE0;

    private static final int INITIAL_CAPACITY = 256;

    /** Output buffers up to this size are kept for the next stream; larger ones are dropped with their stream. */
    private static final int RETAINED_CAPACITY = 8 * 1024;

    /**
     * Where a stream is. The gzip header's optional fields come in this order, each present when the header's
     * flags have its bit set.
     */
    private enum Part {
        GZIP_FIXED_HEADER(0),
        GZIP_EXTRA_LENGTH(FLAG_EXTRA),
        GZIP_EXTRA(FLAG_EXTRA),
        GZIP_NAME(FLAG_NAME),
        GZIP_COMMENT(FLAG_COMMENT),
        GZIP_HEADER_CRC(FLAG_HEADER_CRC),
        DEFLATE(0),
        GZIP_TRAILER(0),
        END(0);

        private final int flag;

        Part(int flag) {
            this.flag = flag;
        }
    }

    private final CompressionFormat format;

    private final Inflater inflater;

    /** Of the gzip header while it is read, then of the inflated data. */
    private final CRC32 crc = new CRC32();

    private Part part;

    /** Bytes of the current fixed-size header part or trailer read so far. */
    private int partRead;

    /** The little-endian value of the two-byte field being read, then how many extra-field bytes remain. */
    private int partValue;

    private int flags;

    private final byte[] trailer = new byte[CompressionFormat.GZIP_TRAILER_SIZE];

    private byte[] output = new byte[INITIAL_CAPACITY];

    private int outputSize;

    private long inflatedSize;

    Inflation(CompressionFormat format) {
        this.format = format;
        this.inflater = new Inflater(format != CompressionFormat.ZLIB);
        this.part = firstPart();
    }

    /**
     * Inflates from {@code input[offset, offset + length)} until the stream ends, the input is used up or more than
     * {@code maxOutput} bytes are held.
     *
     * @return how many input bytes were consumed; those after the end of the stream are not
     * @throws DataFormatException if the bytes are not a valid stream of the format
     */
    int inflate(byte[] input, int offset, int length, int maxOutput) throws DataFormatException {
        int used = 0;
        while (used < length && part.compareTo(Part.DEFLATE) < 0) {
            readHeader(input[offset + used++] & 0xFF);
        }
        if (part == Part.DEFLATE) {
            inflater.setInput(input, offset + used, length - used);
            inflateBody(maxOutput);
            used = length - inflater.getRemaining();
        }
        while (used < length && part == Part.GZIP_TRAILER) {
            trailer[partRead++] = input[offset + used++];
            if (partRead == trailer.length) {
                checkTrailer();
                part = Part.END;
            }
        }
        return used;
    }

    /** Whether the whole stream, trailer included, has been read. */
    boolean finished() {
        return part == Part.END;
    }

    /** The inflated bytes held, from index 0; valid until the next call. */
    byte[] output() {
        return output;
    }

    /** How many inflated bytes are held. */
    int outputSize() {
        return outputSize;
    }

    /** Forgets the inflated bytes held, to go on inflating a stream whose data is not wanted. */
    void discardOutput() {
        outputSize = 0;
    }

    /** Gets ready for the next stream. */
    void reset() {
        inflater.reset();
        crc.reset();
        part = firstPart();
        partRead = 0;
        partValue = 0;
        flags = 0;
        outputSize = 0;
        inflatedSize = 0;
        if (output.length > RETAINED_CAPACITY) {
            output = new byte[INITIAL_CAPACITY];
        }
    }

    /** Frees the native memory of the inflater now, rather than when it is collected. */
    void end() {
        inflater.end();
    }

    private Part firstPart() {
        return format == CompressionFormat.GZIP ? Part.GZIP_FIXED_HEADER : Part.DEFLATE;
    }

    private void inflateBody(int maxOutput) throws DataFormatException {
        while (outputSize <= maxOutput) {
            // Room for one byte past the limit at most: enough to tell that the limit is passed.
            int room = (int) Math.min(output.length, maxOutput + 1L) - outputSize;
            if (room == 0) {
                output = Arrays.copyOf(output, (int) Math.min(maxOutput + 1L, output.length * 2L));
                room = output.length - outputSize;
            }
            int count = inflater.inflate(output, outputSize, room);
            if (format == CompressionFormat.GZIP) {
                crc.update(output, outputSize, count);
            }
            outputSize += count;
            inflatedSize += count;
            if (inflater.finished()) {
                part = format == CompressionFormat.GZIP ? Part.GZIP_TRAILER : Part.END;
                partRead = 0;
                return;
            }
            if (inflater.needsDictionary()) {
                throw new DataFormatException("the stream needs a preset dictionary, which is not supported");
            }
            if (count == 0) {
                // With room left for output, inflating nothing means every input byte has been taken in.
                return;
            }
        }
    }

    private void readHeader(int b) throws DataFormatException {
        if (part != Part.GZIP_HEADER_CRC) {
            crc.update(b);
        }
        switch (part) {
            case GZIP_FIXED_HEADER -> {
                checkFixedHeader(partRead++, b);
                if (partRead == CompressionFormat.GZIP_HEADER_SIZE) {
                    nextHeaderPart();
                }
            }
            case GZIP_EXTRA_LENGTH, GZIP_HEADER_CRC -> {
                partValue |= b << (8 * partRead++);
                if (partRead == 2) {
                    if (part == Part.GZIP_HEADER_CRC && partValue != (int) (crc.getValue() & 0xFFFF)) {
                        throw new DataFormatException("gzip header fails its CRC-16 check");
                    }
                    if (part == Part.GZIP_EXTRA_LENGTH) {
                        part = Part.GZIP_EXTRA;
                        if (partValue > 0) {
                            return;
                        }
                    }
                    nextHeaderPart();
                }
            }
            case GZIP_EXTRA -> {
                if (--partValue == 0) {
                    nextHeaderPart();
                }
            }
            case GZIP_NAME, GZIP_COMMENT -> {
                if (b == 0) {
                    nextHeaderPart();
                }
            }
        }
    }

    private void checkFixedHeader(int index, int b) throws DataFormatException {
        switch (index) {
            case 0, 1 -> {
                if (b != (index == 0 ? 0x1f : 0x8b)) {
                    throw new DataFormatException(String.format("not a gzip member: byte %d is 0x%02x, not 0x%02x",
                            index, b, index == 0 ? 0x1f : 0x8b));
                }
            }
            case 2 -> {
                if (b != 8) {
                    throw new DataFormatException("gzip compression method " + b + " is not deflate (8)");
                }
            }
            case 3 -> {
                if ((b & FLAGS_RESERVED) != 0) {
                    throw new DataFormatException(String.format("gzip header sets reserved flags 0x%02x", b));
                }
                flags = b;
            }
            default -> {
                // time stamp, extra flags and operating system: informative only
            }
        }
    }

    /** Moves to the next optional header field the flags announce, or to the deflate data. */
    private void nextHeaderPart() {
        partRead = 0;
        partValue = 0;
        Part next = Part.values()[part.ordinal() + 1];
        while (next.flag != 0 && (flags & next.flag) == 0) {
            next = Part.values()[next.ordinal() + 1];
        }
        part = next;
        if (part == Part.DEFLATE) {
            crc.reset();
        }
    }

    private void checkTrailer() throws DataFormatException {
        long expectedCrc = littleEndianInt(0);
        long expectedSize = littleEndianInt(4);
        if (expectedCrc != crc.getValue()) {
            throw new DataFormatException(String.format("gzip trailer: CRC-32 0x%08x of the data is not 0x%08x",
                    crc.getValue(), expectedCrc));
        }
        if (expectedSize != (inflatedSize & 0xFFFF_FFFFL)) {
            throw new DataFormatException("gzip trailer: the data is " + inflatedSize + " bytes, not "
                    + expectedSize);
        }
    }

    private long littleEndianInt(int index) {
        return (trailer[index] & 0xFFL) | (trailer[index + 1] & 0xFFL) << 8 | (trailer[index + 2] & 0xFFL) << 16
                | (trailer[index + 3] & 0xFFL) << 24;
    }
}
