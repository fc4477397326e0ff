package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A decoder for formats whose values need no framing, written back to back (a CBOR sequence, Smile documents): a
 * {@link Scanner} finds where each value ends, and the value's bytes are then bound in place by the one-shot
 * {@link PacketSerializer#deserialize}.
 *
 * <p>The scanner keeps its state between reads, so each byte is scanned once however the value is split, instead
 * of the whole buffer being re-parsed on every read. A value that grows past the limit is reported as soon as the
 * limit is passed; the scanner then keeps following its structure and its bytes are dropped as they arrive, so the
 * next value is read normally and nothing past the limit is buffered. Bytes that cannot start or continue a value
 * are reported with the value they break, which is dropped up to and including the first bad byte; decoding then
 * resumes with the byte after it, as a new value.
 */
final class SelfDelimitingDecoder<T> implements StreamDecoder<T> {

    /**
     * Follows the structure of one value across reads: scanned bytes are not seen again, so the scanner must
     * remember what it needs of them (open containers, string bytes still to come).
     */
    interface Scanner {

        /**
         * Scans {@code array[from, to)}, which follows directly the bytes scanned before.
         *
         * @return the index just past the last byte scanned: where the value ends when {@link #complete()}, else at
         *     most {@code to} (a few bytes, such as a header split across reads, may be left for the next call)
         * @throws Malformed at the first byte that cannot be part of the value
         */
        int scan(byte[] array, int from, int to) throws Malformed;

        /** Whether the last {@link #scan} reached the end of the value. */
        boolean complete();

        /** Forgets the value, ready for the next one. */
        void reset();
    }

    /** Bytes that cannot be part of a well-formed value. */
    static final class Malformed extends Exception {

        @Serial
        private static final long serialVersionUID = 1L;

        private final int index;

        /**
         * @param reason what is wrong, for the error message
         * @param index the array index of the first bad byte
         */
        Malformed(String reason, int index) {
            super(reason, null, false, false);
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    private final String format;

    private final Scanner scanner;

    private final PacketSerializer<T> binder;

    private final int maxPacketSize;

    private long streamOffset;

    /** Bytes of the current value scanned so far, from the buffer's position. */
    private int scanned;

    /** Where the oversize value being dropped starts, or -1. */
    private long discardingFrom = -1;

    SelfDelimitingDecoder(String format, Scanner scanner, PacketSerializer<T> binder, int maxPacketSize) {
        PacketLimit.requirePositive(maxPacketSize);
        this.format = format;
        this.scanner = scanner;
        this.binder = binder;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
        byte[] array = buffer.array();
        int base = buffer.arrayOffset();
        while (true) {
            int start = base + buffer.position();
            int end = base + buffer.limit();
            if (start + scanned == end) {
                return false;
            }
            if (discardingFrom >= 0) {
                // stop at the end of the refused value, so that the caller can place what came with its bytes
                discard(buffer, array, start, end);
                return false;
            }
            int stop;
            try {
                stop = scanner.scan(array, start + scanned, end);
            } catch (Malformed e) {
                throw malformed(buffer, array, start, e);
            }
            scanned = stop - start;
            if (scanner.complete()) {
                return bind(buffer, array, start, sink);
            }
            if (scanned > maxPacketSize) {
                long valueStart = streamOffset;
                int seen = scanned;
                consume(buffer, seen);
                discardingFrom = valueStart;
                throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, valueStart, format + " value of at "
                        + "least " + seen + " bytes is larger than the " + maxPacketSize + "-byte limit; the rest of "
                        + "it is skipped as it arrives");
            }
            return false;
        }
    }

    @Override
    public boolean isSkipping() {
        return discardingFrom >= 0;
    }

    private boolean bind(ByteBuffer buffer, byte[] array, int start, Consumer<? super T> sink)
            throws StreamProtocolParseException {
        int length = scanned;
        long valueStart = streamOffset;
        consume(buffer, length);
        scanner.reset();
        if (length > maxPacketSize) {
            throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, valueStart, format + " value of "
                    + length + " bytes is larger than the " + maxPacketSize + "-byte limit; skipped");
        }
        T value;
        try {
            value = binder.deserialize(array, start, length);
        } catch (DeserializeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StreamProtocolParseException(Reason.INVALID_PACKET, valueStart, e.getMessage(), cause);
        }
        sink.accept(value);
        return true;
    }

    private void discard(ByteBuffer buffer, byte[] array, int start, int end) throws StreamProtocolParseException {
        try {
            int stop = scanner.scan(array, start, end);
            consume(buffer, stop - start);
        } catch (Malformed e) {
            long valueStart = discardingFrom;
            long bad = streamOffset + (e.index() - start);
            consume(buffer, e.index() + 1 - start);
            discardingFrom = -1;
            scanner.reset();
            throw new StreamProtocolParseException(Reason.INVALID_PACKET, valueStart, "the oversize " + format
                    + " value being skipped is malformed at stream offset " + bad + ": " + e.getMessage()
                    + "; decoding resumes after that byte");
        }
        if (scanner.complete()) {
            discardingFrom = -1;
            scanner.reset();
        }
    }

    private StreamProtocolParseException malformed(ByteBuffer buffer, byte[] array, int start, Malformed e) {
        int length = e.index() + 1 - start;
        long valueStart = streamOffset;
        consume(buffer, length);
        scanner.reset();
        return new StreamProtocolParseException(Reason.INVALID_PACKET, valueStart, "malformed " + format + " at byte "
                + (length - 1) + " of the value: " + e.getMessage() + "; skipped " + length + " bytes "
                + BytePreview.of(array, start, length));
    }

    private void consume(ByteBuffer buffer, int count) {
        buffer.position(buffer.position() + count);
        streamOffset += count;
        scanned = 0;
    }
}
