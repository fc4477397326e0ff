package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON documents, one per {@code \n}-terminated line, with Jackson 3: the wire format of EasyNetwork's
 * {@code JSONSerializer} with its defaults.
 *
 * <p>Sent documents are compact (no spaces, no indentation, whatever the mapper says) and ASCII-only: other
 * characters are written as lower-case {@code \}{@code uXXXX} escapes, as Python's {@code json} module does with
 * {@code ensure_ascii=True}. A received line that is not exactly one JSON document (empty, malformed, or followed
 * by more content) is a parse error for that line only; the next line is read normally.
 *
 * @param <T> the Java type documents are bound to: {@link JsonNode} for any document, or a record or POJO
 */
public final class JsonSerializer<T> extends DelimitedSerializer<T> {

    private final ObjectWriter writer;

    private final ObjectReader reader;

    private final JavaType type;

    private static final byte[] NEWLINE = {'\n'};

    private JsonSerializer(JsonMapper mapper, JavaType type) {
        super(NEWLINE);
        this.type = type;
        this.writer = mapper.writerFor(type)
                .without(SerializationFeature.INDENT_OUTPUT)
                .with(JsonWriteFeature.ESCAPE_NON_ASCII)
                .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);
        this.reader = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Any JSON document, as a {@link JsonNode} tree; JSON {@code null} arrives as a {@code NullNode}. */
    public static JsonSerializer<JsonNode> tree() {
        return of(JsonMapper.shared(), JsonNode.class);
    }

    /** Documents bound to {@code type} with a default mapper. */
    public static <T> JsonSerializer<T> of(Class<T> type) {
        return of(JsonMapper.shared(), type);
    }

    /** Documents bound to {@code type} with {@code mapper}, e.g. the application's configured one. */
    public static <T> JsonSerializer<T> of(JsonMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new JsonSerializer<>(mapper, mapper.constructType(type));
    }

    /** The compact, ASCII-only document, without the newline. */
    @Override
    public byte[] serialize(T packet) {
        try {
            return writer.writeValueAsBytes(packet);
        } catch (JacksonException e) {
            throw cannotWrite(e);
        }
    }

    @Override
    protected void write(T packet, PacketBuffer out) {
        int start = out.size();
        try {
            writer.writeValue(out, packet);
        } catch (JacksonException e) {
            out.truncate(start);
            throw cannotWrite(e);
        }
    }

    /** The one document {@code data[offset, offset + length)} holds; whitespace around it is allowed. */
    @Override
    public T deserialize(byte[] data, int offset, int length) throws DeserializeException {
        if (isBlank(data, offset, length)) {
            throw new DeserializeException("empty line where a JSON document was expected");
        }
        try {
            return reader.readValue(data, offset, length);
        } catch (JacksonException e) {
            throw new DeserializeException("invalid JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage()
                    + " in " + BytePreview.of(data, offset, length), e);
        }
    }

    private IllegalArgumentException cannotWrite(JacksonException e) {
        return new IllegalArgumentException("cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
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

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        return " at column " + location.getColumnNr();
    }

    @Override
    public String toString() {
        return "JsonSerializer[" + type + "]";
    }
}
