package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamSerializer;
import java.lang.reflect.Type;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON documents with Jackson 3, byte for byte as EasyNetwork's {@code JSONSerializer} writes them, so a Python
 * peer and a Java one can talk.
 *
 * <p>Documents are written as Python's {@code json.dumps(packet, separators=(',', ':'))}: compact whatever the
 * mapper says; with {@code ensureAscii} (the default) every character outside printable ASCII escaped, non-ASCII
 * ones as lower-case {@code \}{@code uXXXX} (surrogate pairs beyond the BMP), {@code DEL} too; floating-point
 * numbers with Python's {@code repr()} digits ({@code 1.0}, {@code 1e+16}, {@code 1e-05}) and {@code NaN},
 * {@code Infinity}, {@code -Infinity} as bare literals unless {@code allowNan} is off. Integers are written whole,
 * however long.
 *
 * <p>On a stream, by default ({@code useLines}) each document is followed by {@code \n}, and a received line that
 * is not exactly one document (empty, malformed, or followed by more) is a parse error for that line only. Without
 * {@code useLines}, documents are sent back to back: objects, arrays and strings with nothing after them, other
 * values followed by {@code \n}; the receiver finds where an object, array or string ends from its brackets and
 * quotes, and ends any other value before the first byte outside printable ASCII. The one-shot
 * {@link #serialize}/{@link #deserialize} form is the document alone in both modes.
 *
 * <p>Received documents must be strict UTF-8; {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted
 * (Jackson also takes {@code +Infinity}, {@code -INF} and {@code +INF}, which Python refuses); with a repeated
 * object key the last value wins. Where we differ from Python: a string with a lone surrogate is written with a
 * {@code \}{@code uXXXX} escape even without {@code ensureAscii} (Python fails to encode it), and nesting deeper
 * than Jackson's {@code StreamReadConstraints}/{@code StreamWriteConstraints} (500 by default) is refused.
 *
 * @param <T> the Java type documents are bound to: {@link JsonNode} for any document, or a record or POJO
 */
public final class JsonSerializer<T> implements StreamSerializer<T>, PacketSerializer<T> {

    private static final byte[] NEWLINE = {'\n'};

    /** Jackson's escapes, with {@code DEL} added: Python's {@code ensure_ascii} escapes it, Jackson does not. */
    private static final CharacterEscapes ASCII_ESCAPES = escapes(true);

    /** Jackson's escapes, which are Python's without {@code ensure_ascii}; set so the mapper's own do not apply. */
    private static final CharacterEscapes UTF8_ESCAPES = escapes(false);

    private final JavaType type;

    private final ObjectWriter writer;

    private final ObjectReader reader;

    private final boolean ensureAscii;

    private final boolean allowNan;

    private final boolean strict;

    /** The newline framing, or {@code null} when documents are sent back to back. */
    private final @Nullable Lines lines;

    /** The fast path for trees, or {@code null} when the mapper does not write the probe tree as it does. */
    private final @Nullable JsonTreeWriter trees;

    private JsonSerializer(Builder<T> builder) {
        JsonMapper mapper = builder.mapper;
        this.type = mapper.constructType(builder.type);
        this.ensureAscii = builder.ensureAscii;
        this.allowNan = builder.allowNan;
        this.strict = builder.strict;
        // ObjectWriter and ObjectReader are configured copies: the application's mapper is left as it is.
        ObjectWriter configuredWriter = mapper.writerFor(type)
                .without(SerializationFeature.INDENT_OUTPUT)
                .with(JsonWriteFeature.QUOTE_PROPERTY_NAMES)
                .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .without(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .without(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
                .with(ensureAscii ? ASCII_ESCAPES : UTF8_ESCAPES);
        this.writer = ensureAscii ? configuredWriter.with(JsonWriteFeature.ESCAPE_NON_ASCII)
                : configuredWriter.without(JsonWriteFeature.ESCAPE_NON_ASCII);
        ObjectReader configuredReader = mapper.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
        this.reader = strict ? configuredReader.without(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                : configuredReader.with(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS);
        this.lines = builder.useLines ? new Lines() : null;
        this.trees = type.getRawClass().isAssignableFrom(ObjectNode.class) ? checkedTreeWriter() : null;
    }

    /**
     * The tree writer, if it writes a probe tree with every node class and feature it knows byte for byte as the
     * mapper does: features such as sorted properties or omitted nulls, default typing or a module's serializer
     * for nodes change what Jackson writes, and then every tree goes through Jackson.
     */
    private @Nullable JsonTreeWriter checkedTreeWriter() {
        JsonTreeWriter candidate = new JsonTreeWriter(ensureAscii, allowNan);
        ObjectNode probe = JsonNodeFactory.instance.objectNode();
        probe.put("z", 1).put("a", Integer.MIN_VALUE).put("long", Long.MAX_VALUE).put("short", (short) -3)
                .put("double", 2.5).put("exponent", 1e16).put("float", 0.1f).put("true", true).put("false", false)
                .putNull("null").put("text", "\"\\\n\t\u0001\u001f/\u007f")
                .put("unicode", ensureAscii ? "\u00e9\u20ac\ud83d\ude00 \udc00" : "ascii");
        probe.putObject("empty");
        probe.putArray("none");
        probe.putArray("array").add(-1).add(0.5).addNull().addObject().put("nested", "x");
        if (allowNan) {
            probe.put("nan", Double.NaN).put("infinity", Double.NEGATIVE_INFINITY);
        }
        @SuppressWarnings("unchecked")
        T packet = (T) probe;
        PacketBuffer expected = new PacketBuffer(256);
        PacketBuffer actual = new PacketBuffer(256);
        try {
            writeWithJackson(packet, expected);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean written = candidate.write(probe, actual);
        return written && expected.asByteBuffer().equals(actual.asByteBuffer()) ? candidate : null;
    }

    /** {@return any JSON document, as a {@link JsonNode} tree; JSON {@code null} arrives as a {@code NullNode}} */
    public static JsonSerializer<JsonNode> tree() {
        return builder(JsonNode.class).build();
    }

    /**
     * Documents bound to {@code type} with a default mapper and EasyNetwork's default options.
     *
     * @param <T> the type of the packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> JsonSerializer<T> of(Class<T> type) {
        return builder(type).build();
    }

    /**
     * Documents bound to {@code type} with {@code mapper}, e.g. the application's configured one.
     *
     * @param <T> the type of the packets
     * @param mapper the mapper that reads and writes packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> JsonSerializer<T> of(JsonMapper mapper, Class<T> type) {
        return builder(type).mapper(mapper).build();
    }

    /**
     * {@return a builder for documents bound to {@code type} ({@code JsonNode.class} for any document), to set options}
     *
     * @param <T> the type of the packets
     * @param type the class packets are read as
     */
    public static <T> Builder<T> builder(Class<T> type) {
        return new Builder<>(Objects.requireNonNull(type, "type"));
    }

    /**
     * {@return a builder for documents bound to a generic {@code type}, such as {@code List<Item>} taken from a method
     * signature, which no {@code Class} can express} Unchecked: the caller vouches that {@code T} matches {@code type}.
     *
     * @param <T> the type of the packets
     * @param type the generic type documents are bound to
     */
    public static <T> Builder<T> builder(Type type) {
        return new Builder<>(Objects.requireNonNull(type, "type"));
    }

    @Override
    public void encode(T packet, PacketBuffer out) {
        if (lines != null) {
            lines.encode(packet, out);
            return;
        }
        int start = out.size();
        write(packet, out);
        // The receiver finds the end of objects, arrays and strings by themselves; other values need a delimiter.
        byte first = out.size() > start ? out.asByteBuffer().get(start) : 0;
        if (first != '{' && first != '[' && first != '"') {
            out.write('\n');
        }
    }

    @Override
    public StreamDecoder<T> newDecoder(int maxPacketSize) {
        return lines != null ? lines.newDecoder(maxPacketSize) : new JsonDocumentDecoder<>(this, maxPacketSize);
    }

    /** The document, without any newline. */
    @Override
    public byte[] serialize(T packet) {
        PacketBuffer out = new PacketBuffer(64);
        write(packet, out);
        return out.toByteArray();
    }

    /** The one document {@code data[offset, offset + length)} holds; whitespace around it is allowed. */
    @Override
    public T deserialize(byte[] data, int offset, int length) throws DeserializeException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (isBlank(data, offset, length)) {
            throw new DeserializeException(lines != null ? "empty line where a JSON document was expected"
                    : "no JSON document, only whitespace");
        }
        int invalid = Utf8.invalidAt(data, offset, offset + length);
        if (invalid >= 0) {
            throw new DeserializeException("invalid UTF-8 at byte " + (invalid - offset) + " of "
                    + BytePreview.of(data, offset, length));
        }
        try {
            return reader.readValue(data, offset, length);
        } catch (JacksonException e) {
            throw new DeserializeException("invalid JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage()
                    + " in " + BytePreview.of(data, offset, length), e);
        }
    }

    private void write(T packet, PacketBuffer out) {
        if (trees != null && packet instanceof JsonNode tree) {
            int start = out.size();
            if (trees.write(tree, out)) {
                return;
            }
            out.truncate(start);
        }
        writeWithJackson(packet, out);
    }

    private void writeWithJackson(T packet, PacketBuffer out) {
        int start = out.size();
        try (JsonGenerator generator = new PythonJsonGenerator(writer.createGenerator(out), allowNan)) {
            writer.writeValue(generator, packet);
        } catch (JacksonException e) {
            out.truncate(start);
            throw new IllegalArgumentException("cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@return whether trees skip Jackson's generator: its mapper writes them as {@link JsonTreeWriter} does} */
    boolean writesTreesDirectly() {
        return trees != null;
    }

    private static CharacterEscapes escapes(boolean escapeDelete) {
        int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();
        if (escapeDelete) {
            ascii[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
        }
        return new CharacterEscapes() {
            @Override
            public int[] getEscapeCodesForAscii() {
                return ascii;
            }

            @Override
            public @Nullable SerializableString getEscapeSequence(int ch) {
                return null; // no ESCAPE_CUSTOM code is used
            }
        };
    }

    private static boolean isBlank(byte[] array, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = array[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String at(@Nullable TokenStreamLocation location) {
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        return " at column " + location.getColumnNr();
    }

    @Override
    public String toString() {
        return "JsonSerializer[" + type + ", ensureAscii=" + ensureAscii + ", allowNan=" + allowNan + ", strict="
                + strict + ", useLines=" + (lines != null) + "]";
    }

    /** The newline framing of the default mode, on the shared one-shot form. */
    private final class Lines extends DelimitedSerializer<T> {

        Lines() {
            super(NEWLINE);
        }

        @Override
        public byte[] serialize(T packet) {
            return JsonSerializer.this.serialize(packet);
        }

        @Override
        public T deserialize(byte[] data, int offset, int length) throws DeserializeException {
            return JsonSerializer.this.deserialize(data, offset, length);
        }

        @Override
        protected void write(T packet, PacketBuffer out) {
            JsonSerializer.this.write(packet, out);
        }
    }

    /**
     * Options of a {@link JsonSerializer}, named after EasyNetwork's {@code JSONSerializer} parameters; the
     * defaults are EasyNetwork's. Not thread-safe; {@link #build()} may be called more than once.
     *
     * @param <T> the Java type documents are bound to
     */
    public static final class Builder<T> {

        private final Type type;

        private JsonMapper mapper = JsonMapper.shared();

        private boolean ensureAscii = true;

        private boolean allowNan = true;

        private boolean strict = true;

        private boolean useLines = true;

        private Builder(Type type) {
            this.type = type;
        }

        /**
         * The mapper that binds documents to the type, e.g. the application's; it plays the part of Python's
         * {@code default} and {@code object_hook} hooks. Only copies of its configuration are changed. Default: {@link
         * JsonMapper#shared()}.
         *
         * @param mapper the mapper to bind with
         * @return this builder
         */
        public Builder<T> mapper(JsonMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Whether sent documents escape every non-ASCII character and {@code DEL} ({@code ensure_ascii});
         * otherwise they are UTF-8 and only control characters, quotes and backslashes are escaped. Default: {@code
         * true}.
         *
         * @param ensureAscii {@code true} to escape all non-ASCII characters
         * @return this builder
         */
        public Builder<T> ensureAscii(boolean ensureAscii) {
            this.ensureAscii = ensureAscii;
            return this;
        }

        /**
         * Whether NaN and infinite numbers are sent as the {@code NaN}, {@code Infinity} and {@code -Infinity}
         * literals Python reads ({@code allow_nan}); otherwise sending one is refused. Received ones are always
         * accepted, as in Python. Default: {@code true}.
         *
         * @param allowNan {@code true} to send NaN and infinities as literals
         * @return this builder
         */
        public Builder<T> allowNan(boolean allowNan) {
            this.allowNan = allowNan;
            return this;
        }

        /**
         * Whether a received string with a raw control character (below U+0020) is refused ({@code strict});
         * otherwise it is accepted as is. Default: {@code true}.
         *
         * @param strict {@code true} to refuse raw control characters in received strings
         * @return this builder
         */
        public Builder<T> strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * Whether each document on a stream ends with {@code \n} ({@code use_lines}); otherwise documents are
         * sent back to back and found by their brackets and quotes. Default: {@code true}.
         *
         * @param useLines {@code true} to end each document with {@code \n}
         * @return this builder
         */
        public Builder<T> useLines(boolean useLines) {
            this.useLines = useLines;
            return this;
        }

        /** {@return the serializer with these options} */
        public JsonSerializer<T> build() {
            return new JsonSerializer<>(this);
        }
    }
}
