package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamSerializer;
import java.io.OutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * The common part of the serializers for Jackson's binary formats whose values are written back to back with no
 * framing: one-shot serialization with Jackson, and a {@link SelfDelimitingDecoder} driven by the format's
 * {@link SelfDelimitingDecoder.Scanner}.
 *
 * @param <T> the Java type values are bound to
 */
abstract class JacksonBinarySerializer<T> implements StreamSerializer<T>, PacketSerializer<T> {

    private final String format;

    private final ObjectWriter writer;

    private final ObjectReader reader;

    private final JavaType type;

    JacksonBinarySerializer(String format, ObjectWriter writer, ObjectReader reader, JavaType type) {
        this.format = format;
        this.writer = writer;
        this.reader = reader;
        this.type = type;
    }

    /** Writes one value with the format's generator; a subclass may wrap the generator. */
    void write(ObjectWriter writer, OutputStream out, T packet) {
        writer.writeValue(out, packet);
    }

    /** A parser over the bytes of one value; a subclass may work around a parser bug on a copy of them. */
    JsonParser createParser(ObjectReader reader, byte[] data, int offset, int length) {
        return reader.createParser(data, offset, length);
    }

    /** A scanner for one connection, that finds where each value ends. */
    abstract SelfDelimitingDecoder.Scanner newScanner();

    /** The bytes of one value, which need no framing: a stream is values back to back. */
    @Override
    public final byte[] serialize(T packet) {
        PacketBuffer out = new PacketBuffer(64);
        encode(packet, out);
        return out.toByteArray();
    }

    @Override
    public final void encode(T packet, PacketBuffer out) {
        int start = out.size();
        try {
            write(writer, out, packet);
        } catch (JacksonException | IllegalArgumentException e) {
            // Jackson's string encoder throws IllegalArgumentException for unpaired surrogates
            out.truncate(start);
            String reason = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("cannot write " + type + " as " + format + ": " + reason, e);
        }
    }

    /**
     * The one value {@code data[offset, offset + length)} holds, all of it.
     *
     * @throws DeserializeException if the bytes are not one valid value, are cut short, are followed by extra data,
     *     or do not fit the Java type; whatever runtime exception the parser throws on crafted bytes becomes one
     */
    @Override
    public final T deserialize(byte[] data, int offset, int length) throws DeserializeException {
        if (length == 0) {
            throw new DeserializeException("no bytes where a " + format + " value was expected");
        }
        try (JsonParser parser = createParser(reader, data, offset, length)) {
            T value = reader.readValue(parser);
            if (!atEnd(parser)) {
                throw new DeserializeException("extra data after the " + format + " value in "
                        + BytePreview.of(data, offset, length));
            }
            return value;
        } catch (JacksonException e) {
            throw new DeserializeException("invalid " + format + ": " + e.getOriginalMessage() + " in "
                    + BytePreview.of(data, offset, length), e);
        } catch (RuntimeException e) {
            // crafted input can make a parser throw what is not a JacksonException: NumberFormatException for an
            // empty BigInteger, NegativeArraySizeException for a length past 2^31, and the like
            throw new DeserializeException("invalid " + format + ": " + e + " in "
                    + BytePreview.of(data, offset, length), e);
        }
    }

    /** Whether nothing follows the value: bytes that do not even parse are extra data too. */
    private static boolean atEnd(JsonParser parser) {
        try {
            return parser.nextToken() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public final StreamDecoder<T> newDecoder(int maxPacketSize) {
        return new SelfDelimitingDecoder<>(format, newScanner(), this, maxPacketSize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + type + "]";
    }
}
