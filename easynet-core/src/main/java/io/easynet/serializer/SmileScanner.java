package io.easynet.serializer;

import io.easynet.serializer.SelfDelimitingDecoder.Malformed;
import java.util.Arrays;

/**
 * Finds where a Smile document ends by reading only its token bytes and length prefixes: string and binary
 * payloads are skipped without being looked at or copied, and an open container costs one byte. Nothing is
 * allocated by a declared length, so a few bytes that declare a huge value cost nothing but the bytes that arrive;
 * what the document means is left to Jackson, which binds the exact bytes of the document once they are all here.
 *
 * <p>The token tables are those of the Smile format specification 1.0 (value mode and key mode). A document is the
 * {@code :)\n} header and its flags byte (optional only when the mapper does not require headers), then one root
 * value. Lengths are read as Jackson reads them: at most 5 VInt bytes and 31 bits, so anything longer is malformed
 * here rather than a runtime exception in the parser.
 */
final class SmileScanner implements SelfDelimitingDecoder.Scanner {

    /** An open array: values follow. */
    private static final byte ARRAY = 0;

    /** An open object where a key or its end is expected. */
    private static final byte OBJECT_KEY = 1;

    /** An open object where the value of a key is expected. */
    private static final byte OBJECT_VALUE = 2;

    /** Nothing pending: the next byte starts a token. */
    private static final int TOKEN = 0;

    /** Header bytes being matched; {@link #count} holds how many have been. */
    private static final int HEADER = 1;

    /** Payload bytes being skipped; {@link #remaining} holds how many are still to come. */
    private static final int SKIP = 2;

    /** Bytes being skipped up to and including the end-of-string marker 0xFC. */
    private static final int TO_END_OF_STRING = 3;

    /** A VInt being read; {@link #then} says what it is for. */
    private static final int VINT = 4;

    /** What a VInt is: an integer value, ... */
    private static final int VALUE = 0;

    /** ... the byte length of 7-bit encoded data (BigInteger, BigDecimal magnitude, 7-bit binary), ... */
    private static final int LENGTH_7BIT = 1;

    /** ... the byte length of raw binary, ... */
    private static final int LENGTH_RAW = 2;

    /** ... or the scale of a BigDecimal, which a 7-bit length follows. */
    private static final int SCALE = 3;

    private static final int END_OF_STRING = 0xFC;

    private static final int END_OF_CONTENT = 0xFF;

    private static final byte[] HEADER_BYTES = {':', ')', '\n'};

    /** Most bytes in a VInt: 10 hold a 64-bit integer. */
    private static final int MAX_VINT_BYTES = 10;

    /** Most bytes in a length VInt, as Jackson reads it into an {@code int}. */
    private static final int MAX_LENGTH_VINT_BYTES = 5;

    private final int maxDepth;

    private final boolean requireHeader;

    private byte[] kinds = new byte[8];

    private int depth;

    /** Whether the document's first byte has been read (its header, or its root value when headers are optional). */
    private boolean started;

    private int state = TOKEN;

    /** Whether the pending token is a key, after which the key's value is expected, or a value. */
    private boolean pendingKey;

    /** Header bytes matched so far, or VInt bytes read so far. */
    private int count;

    /** Bytes still to skip in {@link #SKIP}. */
    private long remaining;

    /** The value of the VInt being read. */
    private long vint;

    /** What the VInt being read is for: {@link #VALUE}, {@link #LENGTH_7BIT}, {@link #LENGTH_RAW} or {@link #SCALE}. */
    private int then;

    private boolean complete;

    /**
     * @param maxDepth the deepest nesting accepted, as the parser that binds the document will accept
     * @param requireHeader whether every document must start with the Smile header, as the mapper's reader requires
     */
    SmileScanner(int maxDepth, boolean requireHeader) {
        this.maxDepth = maxDepth;
        this.requireHeader = requireHeader;
    }

    @Override
    public int scan(byte[] array, int from, int to) throws Malformed {
        int i = from;
        while (i < to) {
            switch (state) {
                case SKIP -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0 && tokenEnded()) {
                        return i;
                    }
                }
                case TO_END_OF_STRING -> {
                    while (i < to && (array[i] & 0xFF) != END_OF_STRING) {
                        i++;
                    }
                    if (i < to) {
                        i++;
                        if (tokenEnded()) {
                            return i;
                        }
                    }
                }
                case VINT -> {
                    if (vintByte(array[i], i)) {
                        i++;
                        return i;
                    }
                    i++;
                }
                case HEADER -> {
                    int b = array[i] & 0xFF;
                    if (count < HEADER_BYTES.length) {
                        if (b != HEADER_BYTES[count]) {
                            throw new Malformed("malformed Smile header: byte " + count + " is " + hex(b) + ", not "
                                    + hex(HEADER_BYTES[count]), i);
                        }
                        count++;
                    } else {
                        if (b >>> 4 != 0) {
                            throw new Malformed("Smile header version bits 0x" + Integer.toHexString(b >>> 4)
                                    + " are not version 0, the only one there is", i);
                        }
                        state = TOKEN;
                    }
                    i++;
                }
                default -> {
                    if (!started) {
                        started = true;
                        int b = array[i] & 0xFF;
                        if (b == HEADER_BYTES[0]) {
                            state = HEADER;
                            count = 1;
                            i++;
                            continue;
                        }
                        if (requireHeader) {
                            throw new Malformed("input does not start with Smile format header (first byte = "
                                    + hex(b) + ")", i);
                        }
                        if (b == END_OF_CONTENT) {
                            throw new Malformed("end-of-content marker where a document was expected", i);
                        }
                    }
                    boolean key = depth > 0 && kinds[depth - 1] == OBJECT_KEY;
                    if (key ? keyToken(array[i] & 0xFF, i) : valueToken(array[i] & 0xFF, i)) {
                        return i + 1;
                    }
                    i++;
                }
            }
        }
        return i;
    }

    /** Reads the token byte {@code b} at {@code index} in value mode; returns whether it completed the document. */
    private boolean valueToken(int b, int index) throws Malformed {
        pendingKey = false;
        switch (b >>> 5) {
            case 0 -> {
                if (b == 0) {
                    throw malformedToken("value", b, index);
                }
                return tokenEnded(); // short shared string reference
            }
            case 1 -> {
                switch (b) {
                    case 0x20, 0x21, 0x22, 0x23 -> {
                        return tokenEnded();
                    }
                    case 0x24, 0x25 -> startVint(VALUE);
                    case 0x26 -> startVint(LENGTH_7BIT);
                    case 0x28 -> skip(5);
                    case 0x29 -> skip(10);
                    case 0x2A -> startVint(SCALE);
                    default -> throw malformedToken("value", b, index);
                }
                return false;
            }
            case 2 -> skip((b & 0x1F) + 1); // tiny ASCII
            case 3 -> skip((b & 0x1F) + 33); // short ASCII
            case 4 -> skip((b & 0x1F) + 2); // tiny Unicode
            case 5 -> skip((b & 0x1F) + 34); // short Unicode
            case 6 -> {
                return tokenEnded(); // small integer
            }
            default -> {
                switch (b) {
                    case 0xE0, 0xE4 -> state = TO_END_OF_STRING;
                    case 0xE8 -> startVint(LENGTH_7BIT);
                    case 0xEC, 0xED, 0xEE, 0xEF -> skip(1); // long shared string reference
                    case 0xF8 -> push(ARRAY, index);
                    case 0xF9 -> {
                        if (depth == 0 || kinds[depth - 1] != ARRAY) {
                            throw new Malformed("end of array " + hex(b) + " outside an array", index);
                        }
                        depth--;
                        return tokenEnded();
                    }
                    case 0xFA -> push(OBJECT_KEY, index);
                    case 0xFD -> startVint(LENGTH_RAW);
                    case END_OF_CONTENT -> throw new Malformed("end-of-content marker " + hex(b)
                            + " inside a document", index);
                    default -> throw malformedToken("value", b, index);
                }
                return false;
            }
        }
        return false;
    }

    /** Reads the token byte {@code b} at {@code index} in key mode; returns whether it completed the document. */
    private boolean keyToken(int b, int index) throws Malformed {
        pendingKey = true;
        if (b == 0x20 || (b >= 0x40 && b <= 0x7F)) {
            return tokenEnded(); // the empty name, or a short shared name reference
        }
        if (b >= 0x30 && b <= 0x33) {
            skip(1); // long shared name reference
        } else if (b == 0x34) {
            state = TO_END_OF_STRING;
        } else if (b >= 0x80 && b <= 0xBF) {
            skip((b & 0x3F) + 1);
        } else if (b >= 0xC0 && b <= 0xF7) {
            skip((b & 0x3F) + 2);
        } else if (b == 0xFB) {
            depth--;
            pendingKey = false;
            return tokenEnded();
        } else {
            throw malformedToken("key", b, index);
        }
        return false;
    }

    private void skip(long bytes) {
        state = SKIP;
        remaining = bytes;
    }

    private void startVint(int purpose) {
        state = VINT;
        then = purpose;
        count = 0;
        vint = 0;
    }

    /** Reads one VInt byte; returns whether the document is complete after it. */
    private boolean vintByte(byte b, int index) throws Malformed {
        count++;
        boolean last = b < 0;
        int most = then == VALUE || then == SCALE ? MAX_VINT_BYTES : MAX_LENGTH_VINT_BYTES;
        if (!last && count == most) {
            throw new Malformed("VInt longer than " + most + " bytes", index);
        }
        vint = last ? vint << 6 | (b & 0x3F) : vint << 7 | b;
        if (!last) {
            return false;
        }
        switch (then) {
            case SCALE -> {
                startVint(LENGTH_7BIT);
                return false;
            }
            case LENGTH_7BIT, LENGTH_RAW -> {
                if (vint > Integer.MAX_VALUE) {
                    throw new Malformed("length " + vint + " is more than a Smile value can hold", index);
                }
                long bytes = then == LENGTH_RAW ? vint : (vint * 8 + 6) / 7;
                if (bytes > 0) {
                    skip(bytes);
                    return false;
                }
                return tokenEnded();
            }
            default -> {
                return tokenEnded();
            }
        }
    }

    private void push(byte kind, int index) throws Malformed {
        if (depth == maxDepth) {
            throw new Malformed("nesting deeper than " + maxDepth + " levels", index);
        }
        if (depth == kinds.length) {
            kinds = Arrays.copyOf(kinds, depth * 2);
        }
        kinds[depth++] = kind;
        state = TOKEN;
    }

    /**
     * The pending token is done: a key, after which its value is expected, or a value (a container's end included);
     * returns whether that completed the document.
     */
    private boolean tokenEnded() {
        state = TOKEN;
        if (depth == 0) {
            complete = true;
            return true;
        }
        int top = depth - 1;
        if (kinds[top] == OBJECT_KEY && pendingKey) {
            kinds[top] = OBJECT_VALUE;
        } else if (kinds[top] == OBJECT_VALUE) {
            kinds[top] = OBJECT_KEY;
        }
        pendingKey = false;
        return false;
    }

    private static Malformed malformedToken(String mode, int b, int index) {
        return new Malformed("byte " + hex(b) + " is not a Smile " + mode + " token", index);
    }

    @Override
    public boolean complete() {
        return complete;
    }

    @Override
    public void reset() {
        depth = 0;
        started = false;
        state = TOKEN;
        pendingKey = false;
        complete = false;
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }
}
