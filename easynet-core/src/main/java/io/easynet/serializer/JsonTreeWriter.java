package io.easynet.serializer;

import io.easynet.protocol.PacketBuffer;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.FloatNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.ShortNode;
import tools.jackson.databind.node.StringNode;

/**
 * Writes a {@link JsonNode} tree straight into the packet buffer, as {@link JsonSerializer}'s Jackson path writes
 * it, without a generator: the tree is what a JSON echo server sends, and Jackson's generator, its contexts and the
 * float wrapper cost more than the writing itself.
 *
 * <p>It knows only Jackson's standard node classes (objects, arrays, strings, {@code int}, {@code long},
 * {@code short}, {@code double}, {@code float}, booleans and null), in the compact form with Python's escapes and
 * float reprs. On anything else (another node class, a tree deeper than {@link #MAX_DEPTH}, a non-ASCII string
 * without {@code ensureAscii}, a NaN or infinity with {@code allowNan} off) it declines, and the caller writes the
 * tree with Jackson, which gives the bytes or the error. The serializer only uses it after checking, on a sample
 * tree, that its mapper writes the same bytes, since a mapper's features or modules may change how trees are
 * written. Stateless and thread-safe; each call allocates its small output chunk and string buffer, and a float
 * formatter if the tree has floats.
 */
final class JsonTreeWriter {

    /** Deeper trees are left to Jackson, which enforces its nesting limit; this bounds our recursion. */
    static final int MAX_DEPTH = 64;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e',
        'f'};

    /** For each ASCII character: 0 if written as is, else the letter of its short escape, or 'u'. */
    private final byte[] escapes;

    private final boolean ensureAscii;

    private final boolean allowNan;

    JsonTreeWriter(boolean ensureAscii, boolean allowNan) {
        this.escapes = escapes(ensureAscii);
        this.ensureAscii = ensureAscii;
        this.allowNan = allowNan;
    }

    /**
     * Appends {@code tree} to {@code out}.
     *
     * @return {@code false} if it declined, with {@code out} holding part of the tree: the caller truncates it
     */
    boolean write(JsonNode tree, PacketBuffer out) {
        Run run = new Run(out);
        if (!run.value(tree, 0)) {
            return false;
        }
        run.flush();
        return true;
    }

    private static byte[] escapes(boolean escapeDelete) {
        byte[] escapes = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = 'u';
        }
        escapes['\b'] = 'b';
        escapes['\t'] = 't';
        escapes['\n'] = 'n';
        escapes['\f'] = 'f';
        escapes['\r'] = 'r';
        escapes['"'] = '"';
        escapes['\\'] = '\\';
        if (escapeDelete) {
            escapes[0x7F] = 'u';
        }
        return escapes;
    }

    /** One write: the output chunk, flushed into the buffer as it fills. */
    private final class Run {

        /** Room for the longest single item: an escaped character (6 bytes), a number (at most 24). */
        private static final int RESERVE = 40;

        private final PacketBuffer out;

        private final byte[] chunk = new byte[256];

        /** The characters of the string being written, copied in bulk: a loop over them is faster than charAt. */
        private final char[] chars = new char[128];

        private int length;

        private @Nullable PythonFloat floats;

        Run(PacketBuffer out) {
            this.out = out;
        }

        boolean value(JsonNode node, int depth) {
            Class<?> type = node.getClass();
            if (type == ObjectNode.class) {
                return object((ObjectNode) node, depth + 1);
            } else if (type == ArrayNode.class) {
                return array((ArrayNode) node, depth + 1);
            } else if (type == StringNode.class) {
                return string(node.stringValue());
            } else if (type == IntNode.class || type == ShortNode.class) {
                integer(node.intValue());
            } else if (type == LongNode.class) {
                integer(node.longValue());
            } else if (type == DoubleNode.class) {
                return floating(node.doubleValue(), false);
            } else if (type == FloatNode.class) {
                return floating(node.floatValue(), true);
            } else if (type == BooleanNode.class) {
                ascii(node.booleanValue() ? "true" : "false");
            } else if (type == NullNode.class) {
                ascii("null");
            } else {
                return false;
            }
            return true;
        }

        private boolean object(ObjectNode node, int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            room(1);
            chunk[length++] = '{';
            boolean first = true;
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (!first) {
                    room(1);
                    chunk[length++] = ',';
                }
                first = false;
                if (!string(property.getKey())) {
                    return false;
                }
                room(1);
                chunk[length++] = ':';
                if (!value(property.getValue(), depth)) {
                    return false;
                }
            }
            room(1);
            chunk[length++] = '}';
            return true;
        }

        private boolean array(ArrayNode node, int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            room(1);
            chunk[length++] = '[';
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    room(1);
                    chunk[length++] = ',';
                }
                if (!value(node.get(i), depth)) {
                    return false;
                }
            }
            room(1);
            chunk[length++] = ']';
            return true;
        }

        private boolean string(String text) {
            room(1);
            chunk[length++] = '"';
            byte[] escapes = JsonTreeWriter.this.escapes;
            char[] chars = this.chars;
            int i = 0;
            int end = text.length();
            while (i < end) {
                room(2 * RESERVE);
                // characters written as they are, as many as fit, then one escaped
                int count = Math.min(Math.min(end - i, chars.length), chunk.length - RESERVE - length);
                text.getChars(i, i + count, chars, 0);
                int at = length;
                int k = 0;
                char c = 0;
                for (; k < count; k++) {
                    c = chars[k];
                    if (c >= 0x80 || escapes[c] != 0) {
                        break;
                    }
                    chunk[at + k] = (byte) c;
                }
                length = at + k;
                i += k;
                if (k == count) {
                    continue;
                }
                if (c >= 0x80) {
                    if (!ensureAscii) {
                        return false;
                    }
                    unicodeEscape(c);
                } else if (escapes[c] == 'u') {
                    unicodeEscape(c);
                } else {
                    chunk[length++] = '\\';
                    chunk[length++] = escapes[c];
                }
                i++;
            }
            room(1);
            chunk[length++] = '"';
            return true;
        }

        private void unicodeEscape(char c) {
            chunk[length++] = '\\';
            chunk[length++] = 'u';
            chunk[length++] = HEX[c >> 12];
            chunk[length++] = HEX[(c >> 8) & 0xF];
            chunk[length++] = HEX[(c >> 4) & 0xF];
            chunk[length++] = HEX[c & 0xF];
        }

        private void integer(long value) {
            room(RESERVE);
            if (value < 0) {
                chunk[length++] = '-';
            }
            int digits = 1;
            for (long rest = value / 10; rest != 0; rest /= 10) {
                digits++;
            }
            long rest = value;
            for (int k = length + digits - 1; k >= length; k--) {
                chunk[k] = (byte) ('0' + Math.abs(rest % 10));
                rest /= 10;
            }
            length += digits;
        }

        private boolean floating(double value, boolean single) {
            if (!Double.isFinite(value)) {
                if (!allowNan) {
                    return false;
                }
                ascii(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
                return true;
            }
            PythonFloat format = floats;
            if (format == null) {
                format = new PythonFloat();
                floats = format;
            }
            int count = single ? format.format((float) value) : format.format(value);
            room(RESERVE);
            char[] text = format.text();
            for (int k = 0; k < count; k++) {
                chunk[length++] = (byte) text[k];
            }
            return true;
        }

        private void ascii(String literal) {
            room(RESERVE);
            for (int k = 0; k < literal.length(); k++) {
                chunk[length++] = (byte) literal.charAt(k);
            }
        }

        /** Makes room for {@code bytes} more bytes in the chunk, flushing it if need be. */
        private void room(int bytes) {
            if (length + bytes > chunk.length) {
                flush();
            }
        }

        void flush() {
            out.write(chunk, 0, length);
            length = 0;
        }
    }
}
