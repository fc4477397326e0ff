package io.easynet.serializer;

import java.util.Objects;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.smile.SmileMapper;
import tools.jackson.dataformat.smile.SmileReadFeature;
import tools.jackson.dataformat.smile.SmileWriteFeature;

/**
 * Smile documents (Jackson's binary JSON) written back to back with no framing, with Jackson 3. EasyNetwork has no
 * Smile serializer: this is for Java peers, or any peer with a Smile library, that want JSON's data model in fewer
 * bytes and less parsing time.
 *
 * <p>Every packet is a complete Smile document that starts with the {@code :)\n} header, whatever the mapper says,
 * so any Smile reader can read it on its own; shared names and strings are back-referenced within a packet only, and
 * no end-of-content marker is written after it. A received stream is cut into documents by reading only their token
 * bytes and length prefixes, each byte once, and each document is then bound in place by Jackson. The limit applies
 * to each document, header included; string and binary payloads are skipped, never allocated by their declared
 * length, so the bytes buffered for a connection are bounded by the limit alone. A document that is valid Smile but
 * does not bind is an error for that document only; bytes that are not valid Smile are reported and dropped up to
 * and including the first bad byte, and decoding resumes after it as a new document (Smile has no
 * resynchronisation marker, so what follows may be read from the middle of the broken document).
 *
 * <p>Needs {@code tools.jackson.dataformat:jackson-dataformat-smile} on the class path: EasyNet declares it as an
 * optional dependency, so an application that uses this class adds it (its version comes from the Jackson BOM).
 *
 * @param <T> the Java type documents are bound to: {@link JsonNode} for any document, or a record or POJO
 */
public final class SmileSerializer<T> extends JacksonBinarySerializer<T> {

    private final int maxDepth;

    private final boolean requireHeader;

    private SmileSerializer(SmileMapper mapper, JavaType type) {
        super("Smile", mapper.writerFor(type).with(SmileWriteFeature.WRITE_HEADER)
                        .without(SmileWriteFeature.WRITE_END_MARKER),
                mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS), type);
        this.maxDepth = mapper.tokenStreamFactory().streamReadConstraints().getMaxNestingDepth();
        this.requireHeader = mapper.isEnabled(SmileReadFeature.REQUIRE_HEADER);
    }

    /** {@return any Smile document, as a {@link JsonNode} tree; {@code null} arrives as a {@code NullNode}} */
    public static SmileSerializer<JsonNode> tree() {
        return of(SmileMapper.shared(), JsonNode.class);
    }

    /**
     * Documents bound to {@code type} with a default mapper.
     *
     * @param <T> the type of the packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> SmileSerializer<T> of(Class<T> type) {
        return of(SmileMapper.shared(), type);
    }

    /**
     * Documents bound to {@code type} with {@code mapper}, e.g. one with the application's modules.
     *
     * @param <T> the type of the packets
     * @param mapper the mapper that reads and writes packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> SmileSerializer<T> of(SmileMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new SmileSerializer<>(mapper, mapper.constructType(type));
    }

    @Override
    SelfDelimitingDecoder.Scanner newScanner() {
        return new SmileScanner(maxDepth, requireHeader);
    }
}
