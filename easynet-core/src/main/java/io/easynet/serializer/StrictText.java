package io.easynet.serializer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text to bytes and back that fails on what the charset cannot represent, where {@link String#getBytes} and
 * {@code new String(bytes)} silently write {@code ?} or {@code U+FFFD} instead.
 *
 * <p>For UTF-8, US-ASCII and ISO-8859-1 it takes the JDK's fast lenient conversions and checks that they lost
 * nothing, instead of setting up a {@code CharsetEncoder}/{@code CharsetDecoder} per call; other charsets go
 * through a fresh strict coder, since coders are not thread-safe and a serializer is shared.
 */
final class StrictText {

    private StrictText() {
    }

    /**
     * The text {@code data[offset, offset + length)} holds in {@code charset}.
     *
     * @throws CharacterCodingException if the bytes are not valid in the charset
     */
    static String decode(Charset charset, byte[] data, int offset, int length) throws CharacterCodingException {
        if (isStandard(charset)) {
            String text = new String(data, offset, length, charset);
            // These decoders mark every bad sequence with U+FFFD, so text without one decoded exactly.
            if (text.indexOf('\uFFFD') < 0) {
                return text;
            }
        }
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, offset, length))
                .toString();
    }

    /**
     * The bytes of {@code text} in {@code charset}.
     *
     * @throws CharacterCodingException if the charset cannot represent a character of the text, or the text has
     *     an unpaired surrogate
     */
    static byte[] encode(Charset charset, String text) throws CharacterCodingException {
        if (isStandard(charset) && fitsExactly(charset, text)) {
            return text.getBytes(charset);
        }
        ByteBuffer encoded = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
        return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset() + encoded.position(),
                encoded.arrayOffset() + encoded.limit());
    }

    private static boolean isStandard(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code String.getBytes(charset)} would encode every character rather than write {@code ?}. */
    private static boolean fitsExactly(Charset charset, String text) {
        int limit = charset.equals(StandardCharsets.US_ASCII) ? 0x80
                : charset.equals(StandardCharsets.ISO_8859_1) ? 0x100 : Character.MAX_VALUE + 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= limit) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
