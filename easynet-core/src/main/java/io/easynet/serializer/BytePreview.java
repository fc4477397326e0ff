package io.easynet.serializer;

/** Renders the start of a bad packet for an error message, printable ASCII as is and other bytes escaped. */
final class BytePreview {

    private static final int MAX_BYTES = 32;

    private BytePreview() {
    }

    static String of(byte[] array, int offset, int length) {
        StringBuilder text = new StringBuilder(MAX_BYTES + 8).append('"');
        int shown = Math.min(length, MAX_BYTES);
        for (int i = offset; i < offset + shown; i++) {
            int b = array[i] & 0xFF;
            if (b == '"' || b == '\\') {
                text.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        text.append('"');
        if (length > shown) {
            text.append("... (").append(length).append(" bytes)");
        }
        return text.toString();
    }
}
