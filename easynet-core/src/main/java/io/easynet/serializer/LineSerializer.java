package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.protocol.StreamSerializer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
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
public final class LineSerializer implements StreamSerializer<String> {

    private final Newline newline;

    private final Charset charset;

    private final byte[] separator;

    /** Lines ended by {@code newline}, in {@code charset}. */
    public LineSerializer(Newline newline, Charset charset) {
        this.newline = Objects.requireNonNull(newline, "newline");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.separator = newline.bytes();
        if (!Arrays.equals(new String(separator, StandardCharsets.US_ASCII).getBytes(charset), separator)) {
            throw new IllegalArgumentException("charset " + charset.name() + " does not encode the newline as ASCII "
                    + "does, so lines cannot be split on its bytes; use an ASCII-compatible charset such as UTF-8");
        }
    }

    /** UTF-8 lines ended by {@code \n}. */
    public LineSerializer() {
        this(Newline.LF, StandardCharsets.UTF_8);
    }

    @Override
    public void encode(String packet, PacketBuffer out) {
        ByteBuffer encoded;
        try {
            // A new encoder reports unmappable and malformed input, where String.getBytes would write '?'.
            encoded = charset.newEncoder().encode(CharBuffer.wrap(packet));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line to send cannot be encoded in " + charset.name() + ": " + packet,
                    e);
        }
        byte[] bytes = encoded.array();
        int from = encoded.arrayOffset() + encoded.position();
        int to = encoded.arrayOffset() + encoded.limit();
        if (newline.indexIn(bytes, from, to) >= 0) {
            throw new IllegalArgumentException("line to send contains the newline " + newline + ": " + packet);
        }
        out.write(bytes, from, to - from);
        out.write(separator, 0, separator.length);
    }

    @Override
    public StreamDecoder<String> newDecoder(int maxPacketSize) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new DelimitedDecoder<>(newline, maxPacketSize) {
            @Override
            String parse(byte[] array, int offset, int length, long streamOffset) throws StreamProtocolParseException {
                try {
                    CharBuffer text = decoder.reset().decode(ByteBuffer.wrap(array, offset, length));
                    return text.toString();
                } catch (CharacterCodingException e) {
                    throw new StreamProtocolParseException(Reason.INVALID_PACKET, streamOffset,
                            "line is not valid " + charset.name() + ": " + BytePreview.of(array, offset, length), e);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "LineSerializer[" + newline + ", " + charset.name() + "]";
    }

}
