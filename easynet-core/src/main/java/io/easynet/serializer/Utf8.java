package io.easynet.serializer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Strict UTF-8 validation, as Python's codec does it: no overlong forms, surrogates or code points past U+10FFFF. */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /** Where the first byte of an invalid sequence is in {@code array[from, to)}, or -1 if all of it is valid. */
    static int invalidAt(byte[] array, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII, by far the most common, eight bytes at a time
            while (i <= to - Long.BYTES && ((long) LONGS.get(array, i) & 0x8080808080808080L) == 0) {
                i += Long.BYTES;
            }
            if (i == to) {
                break;
            }
            int lead = array[i];
            if (lead >= 0) {
                i++;
                continue;
            }
            lead &= 0xFF;
            int continuations;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                continuations = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuations = 2;
                secondMin = lead == 0xE0 ? 0xA0 : 0x80; // shorter forms are overlong
                secondMax = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuations = 3;
                secondMin = lead == 0xF0 ? 0x90 : 0x80;
                secondMax = lead == 0xF4 ? 0x8F : 0xBF; // past F4 8F is beyond U+10FFFF
            } else {
                return i;
            }
            if (i + continuations >= to) {
                return i;
            }
            int second = array[i + 1] & 0xFF;
            if (second < secondMin || second > secondMax) {
                return i;
            }
            for (int k = 2; k <= continuations; k++) {
                if ((array[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += continuations + 1;
        }
        return -1;
    }
}
