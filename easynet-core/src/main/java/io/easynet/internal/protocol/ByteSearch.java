package io.easynet.internal.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Finds a byte sequence in a byte array eight bytes at a time: serializers that frame packets with a separator
 * search every packet they receive and every packet they send for it, so a byte-by-byte loop shows in profiles.
 */
public final class ByteSearch {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;

    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /**
     * {@return where {@code sequence} first starts in {@code array[from, to)} and ends within it, or -1; {@code from}
     * when the sequence is empty}
     *
     * @param array the bytes to search
     * @param from the first index searched
     * @param to the end of the range, exclusive
     * @param sequence the bytes to look for
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public static int indexOf(byte[] array, int from, int to, byte[] sequence) {
        Objects.checkFromToIndex(from, to, array.length);
        if (sequence.length == 0) {
            return from;
        }
        int end = to - sequence.length + 1;
        byte first = sequence[0];
        search:
        for (int i = indexOf(array, from, end, first); i >= 0; i = indexOf(array, i + 1, end, first)) {
            for (int j = 1; j < sequence.length; j++) {
                if (array[i + j] != sequence[j]) {
                    continue search;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where {@code value} first is in {@code array[from, to)}, or -1. */
    private static int indexOf(byte[] array, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(array, i) ^ pattern;
            // the lowest byte flagged here is the first zero byte of the word, the first match
            long zeros = (word - ONES) & ~word & HIGH_BITS;
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
