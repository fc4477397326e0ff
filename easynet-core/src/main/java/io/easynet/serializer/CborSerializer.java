package io.easynet.serializer;

import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.cbor.CBORReadFeature;
import tools.jackson.dataformat.cbor.CBORWriteFeature;

/**
 * CBOR (RFC 8949) data items written back to back with no framing, a CBOR sequence (RFC 8742), with Jackson 3:
 * the wire format of EasyNetwork's {@code CBORSerializer}, which uses the Python library cbor2.
 *
 * <p>Items are written as cbor2 writes the same value with its defaults: shortest integer heads, every float
 * as an 8-byte double, byte strings for {@code byte[]}, definite-length strings, integers beyond 64 bits as
 * bignum tags 2 and 3. Remaining differences, all of which cbor2 decodes to the same value: maps of records, POJOs
 * and {@code Map}s have indefinite length ({@code bf}…{@code ff}; Jackson does not know their size up front, trees
 * have definite length), NaN and infinities are 8-byte doubles where cbor2 writes half-precision ({@code f97e00}),
 * integers from -2<sup>64</sup> to -2<sup>63</sup>-1 are negative bignums where cbor2 writes a 9-byte integer
 * head, and map keys are always text.
 *
 * <p>A received stream is cut into items by reading their headers only, once per byte, and each item is then
 * bound by Jackson. What cbor2 writes with its defaults for JSON-like values, bytes, integers of any size and
 * floats is read (tags Jackson does not know, such as cbor2's datetimes, give the tagged value), except maps
 * whose keys are neither text nor integers, which Jackson refuses. The limit applies to each item. An item
 * that is well-formed but does not bind is an error for that item only; bytes that are not well-formed CBOR are
 * reported and dropped up to and including the first bad byte, and decoding resumes after it (CBOR has no
 * resynchronisation marker, so what follows may be read from the middle of the broken item).
 *
 * <p>Needs {@code tools.jackson.dataformat:jackson-dataformat-cbor} on the class path: EasyNet declares it as an
 * optional dependency, so an application that uses this class adds it (its version comes from the Jackson BOM).
 *
 * @param <T> the Java type items are bound to: {@link JsonNode} for any item, or a record or POJO
 */
public final class CborSerializer<T> extends JacksonBinarySerializer<T> {

    /** Text longer than this is written through {@link SerializedString}: Jackson chunks long text itself. */
    private static final int LONG_TEXT = 1024;

    /** Whether Jackson reads positive bignums as two's complement, as 3.1 does (fixed in 3.3). */
    private static final boolean SIGNED_BIGNUMS = CBORMapper.shared()
            .readValue(new byte[] {(byte) 0xc2, 0x41, (byte) 0x80}, BigInteger.class).signum() < 0;

    private final int maxDepth;

    private CborSerializer(CBORMapper mapper, JavaType type) {
        super("CBOR", mapper.writerFor(type)
                        .with(CBORWriteFeature.WRITE_MINIMAL_INTS)
                        .with(CBORWriteFeature.ENCODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
                        .without(CBORWriteFeature.WRITE_MINIMAL_DOUBLES)
                        .without(CBORWriteFeature.STRINGREF)
                        .without(CBORWriteFeature.WRITE_TYPE_HEADER),
                mapper.readerFor(type)
                        .with(CBORReadFeature.DECODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
                        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
                type);
        this.maxDepth = mapper.tokenStreamFactory().streamReadConstraints().getMaxNestingDepth();
    }

    /** {@return any CBOR item, as a {@link JsonNode} tree; CBOR {@code null} arrives as a {@code NullNode}} */
    public static CborSerializer<JsonNode> tree() {
        return of(CBORMapper.shared(), JsonNode.class);
    }

    /**
     * Items bound to {@code type} with a default mapper.
     *
     * @param <T> the type of the packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> CborSerializer<T> of(Class<T> type) {
        return of(CBORMapper.shared(), type);
    }

    /**
     * Items bound to {@code type} with {@code mapper}, e.g. one with the application's modules. The features that
     * decide cbor2 compatibility (integer and float sizes, bignum encoding, no string references, no type header)
     * are set whatever the mapper says.
     *
     * @param <T> the type of the packets
     * @param mapper the mapper that reads and writes packets
     * @param type the class packets are read as
     * @return the serializer
     */
    public static <T> CborSerializer<T> of(CBORMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new CborSerializer<>(mapper, mapper.constructType(type));
    }

    @Override
    void write(ObjectWriter writer, OutputStream out, T packet) {
        try (JsonGenerator generator = new Cbor2Generator((CBORGenerator) writer.createGenerator(out))) {
            writer.writeValue(generator, packet);
        }
    }

    @Override
    JsonParser createParser(ObjectReader reader, byte[] data, int offset, int length) {
        byte[] fixed = SIGNED_BIGNUMS ? CborScanner.withUnsignedBignums(data, offset, length, maxDepth) : null;
        return fixed != null ? reader.createParser(fixed) : reader.createParser(data, offset, length);
    }

    @Override
    SelfDelimitingDecoder.Scanner newScanner() {
        return new CborScanner(maxDepth);
    }

    /** Writes numbers and long text the way cbor2 does where Jackson's own choice differs. */
    private static final class Cbor2Generator extends JsonGeneratorDelegate {

        private final CBORGenerator cbor;

        Cbor2Generator(CBORGenerator cbor) {
            super(cbor, false);
            this.cbor = cbor;
        }

        /** cbor2 has only doubles: a float is widened, which is exact. */
        @Override
        public JsonGenerator writeNumber(float value) throws JacksonException {
            cbor.writeNumber((double) value);
            return this;
        }

        /** Plain integer heads up to 64 bits, as cbor2; Jackson would tag every {@code BigInteger}. */
        @Override
        public JsonGenerator writeNumber(BigInteger value) throws JacksonException {
            if (value == null || value.bitLength() < 64) {
                return value == null ? writeNull() : writeNumber(value.longValue());
            }
            if (value.signum() > 0 && value.bitLength() == 64) {
                cbor.writeNumberUnsigned(value.longValue());
                return this;
            }
            // A bignum: tag 2 with n, or tag 3 with -1 - n, as big-endian bytes without a sign byte.
            BigInteger magnitude = value.signum() < 0 ? value.negate().subtract(BigInteger.ONE) : value;
            byte[] bytes = magnitude.toByteArray();
            int skip = bytes[0] == 0 && bytes.length > 1 ? 1 : 0;
            cbor.writeTag(value.signum() < 0 ? 3 : 2);
            cbor.writeBinary(bytes, skip, bytes.length - skip);
            return this;
        }

        /** Definite-length text at any length, as cbor2. */
        @Override
        public JsonGenerator writeString(String text) throws JacksonException {
            if (text != null && text.length() > LONG_TEXT) {
                return writeString(new SerializedString(text));
            }
            return super.writeString(text);
        }

        @Override
        public JsonGenerator writeString(char[] text, int offset, int length) throws JacksonException {
            if (length > LONG_TEXT) {
                return writeString(new String(text, offset, length));
            }
            return super.writeString(text, offset, length);
        }

        @Override
        public JsonGenerator writeName(String name) throws JacksonException {
            if (name.length() > LONG_TEXT) {
                return writeName(new SerializedString(name));
            }
            return super.writeName(name);
        }
    }
}
