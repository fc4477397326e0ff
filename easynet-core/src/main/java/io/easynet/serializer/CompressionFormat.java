package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** The containers a {@link CompressedSerializer} writes deflate data in, and how each one is written. */
enum CompressionFormat {

    /** RFC 1950: a two-byte header, the deflate data and an Adler-32 trailer; Python's {@code zlib.compress}. */
    ZLIB("zlib"),
    /** RFC 1951: the bare deflate data; Python's {@code zlib.compress(data, level, wbits=-15)}. */
    DEFLATE("deflate"),
    /** RFC 1952: a ten-byte header, the deflate data, CRC-32 and size; {@code gzip.compress(data, mtime=0)}. */
    GZIP("gzip");

    static final int GZIP_HEADER_SIZE = 10;

    static final int GZIP_TRAILER_SIZE = 8;

    /** The operating system field of the gzip header: Unix, as zlib writes it there. */
    private static final int GZIP_OS_UNIX = 3;

    private static final int CHUNK_SIZE = 8 * 1024;

    private final String label;

    CompressionFormat(String label) {
        this.label = label;
    }

    /** Writes one complete stream holding {@code data} at the end of {@code out}. */
    void compress(byte[] data, int level, PacketBuffer out) {
        if (this == GZIP) {
            // zlib's own gzip header: no file name, no time stamp, "best compression" flag at level 9
            int extraFlags = level == Deflater.BEST_COMPRESSION ? 2 : level == 0 || level == 1 ? 4 : 0;
            byte[] header = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, (byte) extraFlags, GZIP_OS_UNIX};
            out.write(header, 0, header.length);
        }
        Deflater deflater = new Deflater(level, this != ZLIB);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] chunk = new byte[Math.min(CHUNK_SIZE, data.length + 64)];
            while (!deflater.finished()) {
                int count = deflater.deflate(chunk);
                out.write(chunk, 0, count);
            }
        } finally {
            deflater.end();
        }
        if (this == GZIP) {
            CRC32 crc = new CRC32();
            crc.update(data);
            writeIntLittleEndian((int) crc.getValue(), out);
            writeIntLittleEndian(data.length, out);
        }
    }

    private static void writeIntLittleEndian(int value, PacketBuffer out) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    @Override
    public String toString() {
        return label;
    }
}
