package io.easynet.serializer;

/** Searching for a separator's bytes in an array. */
final class Separator {

    private Separator() {
    }

    /** Where {@code separator} starts in {@code array[from, to)}, or -1. */
    static int indexOf(byte[] separator, byte[] array, int from, int to) {
        byte first = separator[0];
        int last = to - separator.length;
        search:
        for (int i = from; i <= last; i++) {
            if (array[i] != first) {
                continue;
            }
            for (int j = 1; j < separator.length; j++) {
                if (array[i + j] != separator[j]) {
                    continue search;
                }
            }
            return i;
        }
        return -1;
    }
}
