package io.easynet.serializer;

/** The byte sequences that can end a line. */
public enum Newline {
    /** {@code \n}, the Unix newline and EasyNetwork's default. */
    LF(new byte[] {'\n'}),
    /** {@code \r}. */
    CR(new byte[] {'\r'}),
    /** {@code \r\n}, as in Internet protocols. */
    CRLF(new byte[] {'\r', '\n'});

    private final byte[] bytes;

    Newline(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes of the separator; a fresh copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    /** Where the separator starts in {@code array[from, to)}, or -1. */
    int indexIn(byte[] array, int from, int to) {
        byte first = bytes[0];
        int last = to - bytes.length;
        for (int i = from; i <= last; i++) {
            if (array[i] == first && (bytes.length == 1 || array[i + 1] == bytes[1])) {
                return i;
            }
        }
        return -1;
    }
}
