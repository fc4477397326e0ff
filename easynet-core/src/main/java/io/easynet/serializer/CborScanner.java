package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.serializer.SelfDelimitingDecoder.Malformed;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Finds where a CBOR data item (RFC 8949) ends by reading only its headers: string payloads are skipped without
 * being looked at, and an open container costs one counter. This is the well-formedness check of the RFC's
 * appendix C, kept incremental; what the item means is left to Jackson. Jackson 3 has no non-blocking CBOR
 * parser, and re-parsing the buffered bytes on every read would cost time quadratic in the reads of a value.
 */
final class CborScanner implements SelfDelimitingDecoder.Scanner {

    /** An open array or map of definite length; its counter holds the items still to come. */
    private static final byte DEFINITE = 0;

    /** An open indefinite-length array. */
    private static final byte ARRAY = 1;

    /** An open indefinite-length map; its counter holds the items seen, so a key left without value shows. */
    private static final byte MAP = 2;

    /** An open indefinite-length byte string (major type 2) or text string (3): only chunks of it may follow. */
    private static final byte BYTE_CHUNKS = 3;

    private static final byte TEXT_CHUNKS = 4;

    private static final int BREAK = 0xFF;

    private final int maxDepth;

    private byte[] kinds = new byte[8];

    private long[] counts = new long[8];

    private int depth;

    /** Payload bytes of a string or chunk still to come. */
    private long skip;

    /** Whether the payload being skipped is a whole string, whose end ends an item, or a chunk of one. */
    private boolean skipEndsItem;

    /** The tag read whose item has not started yet, or -1. */
    private long tag = -1;

    /** Where the heads of the byte strings of positive bignums with the top bit set start, when recorded. */
    private int @Nullable [] bignumHeads;

    private int bignums;

    private boolean complete;

    /** @param maxDepth the deepest nesting accepted, as the parser that binds the item will accept */
    CborScanner(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    @Override
    public int scan(byte[] array, int from, int to) throws Malformed {
        int i = from;
        while (true) {
            if (skip > 0) {
                int n = (int) Math.min(skip, to - i);
                i += n;
                skip -= n;
                if (skip > 0) {
                    return i;
                }
                if (skipEndsItem && itemEnded()) {
                    return i;
                }
            }
            if (i == to) {
                return i;
            }
            int initial = array[i] & 0xFF;
            int major = initial >>> 5;
            int info = initial & 0x1F;
            if (info >= 28 && info <= 30) {
                throw new Malformed("reserved additional information " + info + " in initial byte "
                        + hex(initial), i);
            }
            boolean inChunks = depth > 0 && kinds[depth - 1] >= BYTE_CHUNKS;
            if (inChunks && initial != BREAK && (major != kinds[depth - 1] - 1 || info == 31)) {
                throw new Malformed("initial byte " + hex(initial) + " inside an indefinite-length "
                        + (kinds[depth - 1] == BYTE_CHUNKS ? "byte" : "text") + " string, where only a "
                        + "definite-length chunk of the same type or a break may stand", i);
            }
            if (info == 31) {
                i++;
                if (major == 7) {
                    if (closeIndefinite(i - 1)) {
                        return i;
                    }
                } else if (major >= 2 && major <= 5) {
                    tag = -1;
                    push(major == 2 ? BYTE_CHUNKS : major == 3 ? TEXT_CHUNKS : major == 4 ? ARRAY : MAP, 0, i - 1);
                } else {
                    throw new Malformed("indefinite length in initial byte " + hex(initial) + " of major type "
                            + major + ", which cannot have one", i - 1);
                }
                continue;
            }
            int size = info < 24 ? 1 : 1 + (1 << (info - 24));
            if (to - i < size) {
                return i;
            }
            long argument = info < 24 ? info : argument(array, i + 1, size - 1);
            i += size;
            if (major == 6) {
                tag = argument;
                continue;
            }
            if (bignumHeads != null && tag == 2 && major == 2 && argument > 0 && i < to && array[i] < 0) {
                recordBignum(i - size);
            }
            tag = -1;
            if (major == 2 || major == 3) {
                skip = argument;
                skipEndsItem = !inChunks;
                if (skip == 0 && skipEndsItem && itemEnded()) {
                    return i;
                }
            } else if ((major == 4 || major == 5) && argument > 0) {
                long items = major == 4 ? argument : argument > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : argument * 2;
                push(DEFINITE, items, i - size);
            } else if (itemEnded()) {
                return i;
            }
        }
    }

    @Override
    public boolean complete() {
        return complete;
    }

    @Override
    public void reset() {
        depth = 0;
        skip = 0;
        tag = -1;
        complete = false;
    }

    /**
     * A copy of the item in {@code data[offset, offset + length)} in which every positive bignum (tag 2) whose
     * first byte has the top bit set gets a leading zero byte, or {@code null} if it has none (or is not
     * well-formed, which the parser reports). The value is the same; Jackson before 3.3 reads such bytes as two's
     * complement, so that 2<sup>72</sup>-1, which cbor2 writes {@code c2 49 ff...ff}, would come out as -1.
     */
    static byte @Nullable [] withUnsignedBignums(byte[] data, int offset, int length, int maxDepth) {
        CborScanner scanner = new CborScanner(maxDepth);
        scanner.bignumHeads = new int[4];
        try {
            scanner.scan(data, offset, offset + length);
        } catch (Malformed e) {
            return null;
        }
        if (scanner.bignums == 0) {
            return null;
        }
        PacketBuffer copy = new PacketBuffer(length + 2 * scanner.bignums);
        int from = offset;
        for (int k = 0; k < scanner.bignums; k++) {
            int head = scanner.bignumHeads[k];
            int info = data[head] & 0x1F;
            int size = info < 24 ? 1 : 1 + (1 << (info - 24));
            long payload = info < 24 ? info : argument(data, head + 1, size - 1);
            copy.write(data, from, head - from);
            writeHead(copy, 0x40, payload + 1);
            copy.write(0);
            from = head + size;
        }
        copy.write(data, from, offset + length - from);
        return copy.toByteArray();
    }

    private void recordBignum(int head) {
        if (bignums == bignumHeads.length) {
            bignumHeads = Arrays.copyOf(bignumHeads, bignums * 2);
        }
        bignumHeads[bignums++] = head;
    }

    /** Writes the shortest head of {@code majorBits} (the major type in the top three bits) and {@code value}. */
    private static void writeHead(PacketBuffer out, int majorBits, long value) {
        if (value < 24) {
            out.write(majorBits | (int) value);
            return;
        }
        int bytes = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1_0000_0000L ? 4 : 8;
        out.write(majorBits | 24 + Integer.numberOfTrailingZeros(bytes));
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    /** Handles a break byte at {@code index}; returns whether it completed the top-level item. */
    private boolean closeIndefinite(int index) throws Malformed {
        if (depth == 0 || kinds[depth - 1] == DEFINITE) {
            throw new Malformed("break byte 0xff outside an indefinite-length array, map or string", index);
        }
        if (tag >= 0) {
            throw new Malformed("break byte 0xff where the item of a tag was expected", index);
        }
        if (kinds[depth - 1] == MAP && counts[depth - 1] % 2 != 0) {
            throw new Malformed("break byte 0xff where the value of a map key was expected", index);
        }
        depth--;
        return itemEnded();
    }

    private void push(byte kind, long count, int index) throws Malformed {
        if (depth == maxDepth) {
            throw new Malformed("nesting deeper than " + maxDepth + " levels", index);
        }
        if (depth == kinds.length) {
            kinds = Arrays.copyOf(kinds, depth * 2);
            counts = Arrays.copyOf(counts, depth * 2);
        }
        kinds[depth] = kind;
        counts[depth] = count;
        depth++;
    }

    /** Counts a finished item in the containers it closes; returns whether it was the top-level item. */
    private boolean itemEnded() {
        while (depth > 0) {
            int top = depth - 1;
            if (kinds[top] == MAP) {
                counts[top]++;
                return false;
            }
            if (kinds[top] != DEFINITE || --counts[top] > 0) {
                return false;
            }
            depth--;
        }
        complete = true;
        return true;
    }

    /** The unsigned big-endian argument in {@code length} bytes; one past {@code Long.MAX_VALUE} saturates. */
    private static long argument(byte[] array, int index, int length) {
        long value = 0;
        for (int k = 0; k < length; k++) {
            value = value << 8 | (array[index + k] & 0xFF);
        }
        return value < 0 ? Long.MAX_VALUE : value;
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }
}
