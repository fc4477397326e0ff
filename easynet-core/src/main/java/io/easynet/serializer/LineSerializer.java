package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Text lines: each packet is a string followed by a newline, the wire format of EasyNetwork's
 * {@code StringLineSerializer}.
 *
 * <p>EasyNetwork defaults to ASCII where this class defaults to UTF-8, which reads and writes ASCII text the same;
 * {@code new LineSerializer(Newline.LF, StandardCharsets.US_ASCII)} is EasyNetwork's default exactly. A received
 * line is the bytes up to the first newline, without it unless {@code keepEnd} is set: with {@code LF},
 * {@code "abc\r\n"} arrives as {@code "abc\r"}. The limit counts the bytes of a line, newline excluded.
 *
 * <p>Received lines are decoded strictly: bytes that are not valid in the charset are a parse error, not
 * replacement characters. Sending differs from EasyNetwork on purpose in two ways: an empty string is sent as a
 * bare newline (EasyNetwork sends nothing, so the peer never sees the packet), and a string with the newline
 * inside is refused (EasyNetwork sends it, and its peer reads two packets). A string that ends with the newline is
 * sent without a second one, as EasyNetwork does, so a line received with {@code keepEnd} can be sent back as is.
 * A string with characters the charset cannot represent is refused.
 */
public final class LineSerializer extends DelimitedSerializer<String> {

    private final Newline newline;

    private final Charset charset;

    private final boolean keepEnd;

    private final byte[] separator;

    private final String newlineText;

    /**
     * Lines ended by {@code newline}, in {@code charset}, which must encode the newline as ASCII does.
     *
     * @param keepEnd whether received lines keep their newline, as EasyNetwork's {@code keep_end=True}
     * @param newline the line ending that ends each packet
     * @param charset the charset of the lines
     */
    public LineSerializer(Newline newline, Charset charset, boolean keepEnd) {
        super(Objects.requireNonNull(newline, "newline").bytes());
        this.newline = newline;
        this.charset = Objects.requireNonNull(charset, "charset");
        this.keepEnd = keepEnd;
        this.separator = newline.bytes();
        this.newlineText = new String(separator, StandardCharsets.US_ASCII);
        if (!Arrays.equals(newlineText.getBytes(charset), separator)) {
            throw new IllegalArgumentException("charset " + charset.name() + " does not encode the newline as ASCII "
                    + "does, so lines cannot be split on its bytes; use an ASCII-compatible charset such as UTF-8");
        }
    }

    /**
     * Lines ended by {@code newline}, in {@code charset}, received without their newline.
     *
     * @param newline the line ending that ends each packet
     * @param charset the charset of the lines
     */
    public LineSerializer(Newline newline, Charset charset) {
        this(newline, charset, false);
    }

    /** UTF-8 lines ended by {@code \n}, received without it. */
    public LineSerializer() {
        this(Newline.LF, StandardCharsets.UTF_8);
    }

    /**
     * The line's bytes in the charset, exactly as given, newlines included: this one-shot form has no framing.
     *
     * @throws IllegalArgumentException if the charset cannot represent a character of the line
     */
    @Override
    public byte[] serialize(String line) {
        try {
            return StrictText.encode(charset, line);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line to send cannot be encoded in " + charset.name() + ": " + line, e);
        }
    }

    /** Writes the line without the newline it may end with, since the framing adds one. */
    @Override
    protected void write(String line, PacketBuffer out) {
        byte[] bytes = serialize(line);
        int length = bytes.length;
        if (length >= separator.length
                && Arrays.equals(bytes, length - separator.length, length, separator, 0, separator.length)) {
            length -= separator.length;
        }
        out.write(bytes, 0, length);
    }

    /**
     * The line the bytes hold, decoded strictly (bytes that are not valid in the charset are refused), with the
     * newline appended if {@code keepEnd} is set.
     */
    @Override
    public String deserialize(byte[] data, int offset, int length) throws DeserializeException {
        String line;
        try {
            line = StrictText.decode(charset, data, offset, length);
        } catch (CharacterCodingException e) {
            throw new DeserializeException("line is not valid " + charset.name() + ": "
                    + BytePreview.of(data, offset, length), e);
        }
        return keepEnd ? line + newlineText : line;
    }

    @Override
    public String toString() {
        return "LineSerializer[" + newline + ", " + charset.name() + (keepEnd ? ", keep end" : "") + "]";
    }
}
