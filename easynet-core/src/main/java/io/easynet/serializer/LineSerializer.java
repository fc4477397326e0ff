package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Text lines: each packet is a string followed by a newline, as EasyNetwork's {@code StringLineSerializer}.
 *
 * <p>Received lines are decoded strictly: bytes that are not valid in the charset are a parse error, not
 * replacement characters. A string to send that contains the newline sequence is refused, since the peer would
 * read it as two packets, and so is one with characters the charset cannot represent.
 */
public final class LineSerializer extends DelimitedSerializer<String> {

    private final Newline newline;

    private final Charset charset;

    /** Lines ended by {@code newline}, in {@code charset}, which must encode the newline as ASCII does. */
    public LineSerializer(Newline newline, Charset charset) {
        super(Objects.requireNonNull(newline, "newline").bytes());
        this.newline = newline;
        this.charset = Objects.requireNonNull(charset, "charset");
        byte[] separator = newline.bytes();
        if (!Arrays.equals(new String(separator, StandardCharsets.US_ASCII).getBytes(charset), separator)) {
            throw new IllegalArgumentException("charset " + charset.name() + " does not encode the newline as ASCII "
                    + "does, so lines cannot be split on its bytes; use an ASCII-compatible charset such as UTF-8");
        }
    }

    /** UTF-8 lines ended by {@code \n}. */
    public LineSerializer() {
        this(Newline.LF, StandardCharsets.UTF_8);
    }

    /**
     * The line's bytes in the charset, newline excluded.
     *
     * @throws IllegalArgumentException if the charset cannot represent a character of the line
     */
    @Override
    public byte[] serialize(String line) {
        ByteBuffer encoded;
        try {
            // A new encoder reports unmappable and malformed input, where String.getBytes would write '?'.
            encoded = charset.newEncoder().encode(CharBuffer.wrap(line));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line to send cannot be encoded in " + charset.name() + ": " + line, e);
        }
        return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset() + encoded.position(),
                encoded.arrayOffset() + encoded.limit());
    }

    /** The line the bytes hold, decoded strictly: bytes that are not valid in the charset are refused. */
    @Override
    public String deserialize(byte[] data, int offset, int length) throws DeserializeException {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DeserializeException("line is not valid " + charset.name() + ": "
                    + BytePreview.of(data, offset, length), e);
        }
    }

    @Override
    public String toString() {
        return "LineSerializer[" + newline + ", " + charset.name() + "]";
    }
}
