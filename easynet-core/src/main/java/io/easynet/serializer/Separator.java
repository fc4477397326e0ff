package io.easynet.serializer;

/** The rules a separator must follow. */
final class Separator {

    /**
     * The longest separator allowed: a decoder holds up to its length − 1 bytes beyond the packet limit while it
     * looks for it, and a connection's buffer allows only a few bytes of framing beyond the limit.
     */
    static final int MAX_LENGTH = 32;

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
}
