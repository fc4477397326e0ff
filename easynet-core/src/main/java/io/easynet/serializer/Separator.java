package io.easynet.serializer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Searching for a separator's bytes in an array. */
final class Separator {

    /**
     * The longest separator allowed: a decoder holds up to its length − 1 bytes beyond the packet limit while it
     * looks for it, and a connection's buffer allows only a few bytes of framing beyond the limit.
     */
    static final int MAX_LENGTH = 32;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Separator() {
    }

    /**
     * A copy of {@code separator} after checking it is usable.
     *
     * @throws IllegalArgumentException if it is empty or longer than {@link #MAX_LENGTH}
     */
    static byte[] checked(byte[] separator) {
        java.util.Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        if (separator.length > MAX_LENGTH) {
            throw new IllegalArgumentException("separator of " + separator.length + " bytes is longer than the "
                    + MAX_LENGTH + " allowed");
        }
        return separator.clone();
    }

    /** Where {@code separator} starts in {@code array[from, to)}, or -1. */
    static int indexOf(byte[] separator, byte[] array, int from, int to) {
        byte first = separator[0];
        int last = to - separator.length;
        search:
        for (int i = indexOf(first, array, from, last + 1); i >= 0; i = indexOf(first, array, i + 1, last + 1)) {
            for (int j = 1; j < separator.length; j++) {
                if (array[i + j] != separator[j]) {
                    continue search;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where {@code value} first is in {@code array[from, to)}, or -1; eight bytes at a time, a packet is long. */
    private static int indexOf(byte value, byte[] array, int from, int to) {
        long pattern = (value & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(array, i) ^ pattern;
            // the lowest byte flagged here is the first zero byte of the word, the first match
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (array[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
