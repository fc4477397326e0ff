package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The decoder of JSON documents sent back to back, without separators: EasyNetwork's {@code JSONSerializer} with
 * {@code use_lines=False}. It finds where a document ends from its bytes, without parsing it, as EasyNetwork does:
 *
 * <ul>
 *   <li>Whitespace ({@code ' '}, {@code \t}, {@code \n}, {@code \r}) before a document is skipped, and after a
 *       document so much of it as has arrived.
 *   <li>A document that starts with {@code {}, {@code [} or {@code "} ends where that bracket is closed: brackets of
 *       that kind only are counted, outside strings; a backslash escapes the byte after it.
 *   <li>Any other document (a number, {@code true}, {@code null}, {@code NaN}...) ends before the first byte that
 *       is not printable ASCII, so {@code 12} alone waits for more bytes and {@code 1 2\n} is one (bad) document.
 * </ul>
 *
 * <p>The document is then parsed with the serializer's one-shot form. A document longer than the limit is reported
 * and skipped to its end, also when that end is not there yet: then the report comes as soon as the limit is passed
 * and the rest of the document is discarded as it arrives, the scanning state kept, so the following documents are
 * read normally (EasyNetwork discards what it buffered and resumes in the middle of the document).
 */
final class JsonDocumentDecoder<T> implements StreamDecoder<T> {

    /** No document started: the next non-whitespace byte starts one. */
    private static final int NONE = -1;

    /** A document that is not an object, array or string. */
    private static final int PLAIN = 0;

    private final PacketSerializer<T> serializer;

    private final int maxPacketSize;

    private long streamOffset;

    /** {@link #NONE}, {@link #PLAIN} or the opening byte of the current document. */
    private int kind = NONE;

    /** How many bytes of the current document, from the buffer's position, have been scanned. */
    private int scanned;

    private int depth;

    private boolean inString;

    private boolean escaped;

    /** The current document was too large and is skipped up to its end. */
    private boolean discarding;

    JsonDocumentDecoder(PacketSerializer<T> serializer, int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        this.serializer = serializer;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
        byte[] array = buffer.array();
        int base = buffer.arrayOffset();
        while (true) {
            if (kind == NONE && !startDocument(buffer, array, base)) {
                return false;
            }
            int start = base + buffer.position();
            int end = base + buffer.limit();
            int found = kind == PLAIN ? endOfPlainValue(array, start + scanned, end) : endOfEnclosure(array,
                    start + scanned, end);
            if (found < 0) {
                int length = end - start;
                if (discarding) {
                    consume(buffer, length);
                    return false;
                }
                scanned = length;
                if (length > maxPacketSize) {
                    long packetStart = streamOffset;
                    discarding = true;
                    consume(buffer, length);
                    throw tooLarge(packetStart, "at least " + length, "skipped up to its end");
                }
                return false;
            }
            int length = found - start;
            long packetStart = streamOffset;
            kind = NONE;
            consume(buffer, length);
            skipWhitespace(buffer, array, base);
            if (discarding) {
                // stop at the end of the refused document, so that the caller can place what came with its bytes
                discarding = false;
                return false;
            }
            if (length > maxPacketSize) {
                throw tooLarge(packetStart, String.valueOf(length), "skipped");
            }
            sink.accept(parse(array, start, length, packetStart));
            return true;
        }
    }

    @Override
    public boolean isSkipping() {
        return discarding;
    }

    /**
     * Skips whitespace and sets up the scan of the document the next byte starts.
     *
     * @return {@code false} when no byte is left
     * @throws StreamProtocolParseException on bytes that cannot start a document, which are consumed
     */
    private boolean startDocument(ByteBuffer buffer, byte[] array, int base) throws StreamProtocolParseException {
        skipWhitespace(buffer, array, base);
        if (!buffer.hasRemaining()) {
            return false;
        }
        int start = base + buffer.position();
        byte first = array[start];
        scanned = 0;
        if (first == '{' || first == '[' || first == '"') {
            kind = first;
            depth = 0;
            inString = false;
            escaped = false;
            return true;
        }
        if (isPrintable(first)) {
            kind = PLAIN;
            return true;
        }
        int end = start + 1;
        while (end < base + buffer.limit() && !isPrintable(array[end]) && !isWhitespace(array[end])) {
            end++;
        }
        long packetStart = streamOffset;
        consume(buffer, end - start);
        throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart,
                "bytes that cannot start a JSON document: " + BytePreview.of(array, start, end - start));
    }

    /** Where the document ends (exclusive) in {@code array[from, to)}, or -1, keeping the scan state. */
    private int endOfEnclosure(byte[] array, int from, int to) {
        byte close = (byte) (kind == '{' ? '}' : ']');
        for (int i = from; i < to; i++) {
            byte b = array[i];
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = !inString;
                if (kind == '"' && !inString) {
                    return i + 1;
                }
            } else if (!inString) {
                if (b == kind) {
                    depth++;
                } else if (b == close && --depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static int endOfPlainValue(byte[] array, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isPrintable(array[i])) {
                return i;
            }
        }
        return -1;
    }

    private T parse(byte[] array, int offset, int length, long packetStart) throws StreamProtocolParseException {
        try {
            return serializer.deserialize(array, offset, length);
        } catch (DeserializeException e) {
            // the parser's own exception, when there is one, says more than the wrapper
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart, e.getMessage(), cause);
        }
    }

    private void skipWhitespace(ByteBuffer buffer, byte[] array, int base) {
        int position = buffer.position();
        while (position < buffer.limit() && isWhitespace(array[base + position])) {
            position++;
        }
        consume(buffer, position - buffer.position());
    }

    private void consume(ByteBuffer buffer, int count) {
        buffer.position(buffer.position() + count);
        streamOffset += count;
        scanned = 0;
    }

    private StreamProtocolParseException tooLarge(long packetStart, String size, String action) {
        return new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart,
                "JSON document of " + size + " bytes is larger than the " + maxPacketSize + "-byte limit; " + action);
    }

    private static boolean isPrintable(byte b) {
        return b >= 0x20 && b <= 0x7E;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
