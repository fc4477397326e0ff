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

    /** {@return the bytes of the separator; a fresh copy} */
    public byte[] bytes() {
        return bytes.clone();
    }

}
