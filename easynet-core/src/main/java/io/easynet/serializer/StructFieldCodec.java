package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * One record component's place in a struct: its format, its size, and how its value is written and read, with
 * the standard sizes of Python's {@code struct} module.
 *
 * @param name the component as {@code Record.component}, for error messages
 * @param format the component's format, e.g. {@code "I"} or {@code "8s"}
 * @param size the number of bytes the component takes
 * @param writer writes the component's value
 * @param reader reads the component's value
 */
record StructFieldCodec(String name, String format, int size, Writer writer, Reader reader) {

    /** Writes a value at the buffer's position, advancing it by the field's size. */
    interface Writer {
        void write(ByteBuffer out, Object value);
    }

    /** Reads a value at the buffer's position, advancing it by the field's size. */
    interface Reader {
        Object read(ByteBuffer in) throws DeserializeException;
    }

    private static final String FORMATS = "b B h H i I l L q Q e f d ? c, or [count]s";

    /**
     * The codec of component {@code name} of Java type {@code type} in format {@code format}.
     *
     * @param charset the charset of {@code String} components in an {@code s} format
     * @param stripNuls whether trailing NUL bytes of an {@code s} format are removed when reading
     * @throws IllegalArgumentException if the format is not supported or does not fit the Java type
     */
    static StructFieldCodec of(String name, String format, Class<?> type, Charset charset, boolean stripNuls) {
        if (format.length() > 1 || format.equals("s")) {
            return bytes(name, format, type, charset, stripNuls);
        }
        if (format.isEmpty()) {
            throw new IllegalArgumentException(name + " has an empty format; expected one of "
                    + FORMATS);
        }
        StructFieldCodec codec = switch (format.charAt(0)) {
            case 'b', 'c' -> new StructFieldCodec(name, format, 1, (out, v) -> out.put((byte) v), ByteBuffer::get);
            case 'B' -> new StructFieldCodec(name, format, 1,
                    (out, v) -> out.put((byte) inRange(name, format, (int) v, 0, 0xFF)), in -> in.get() & 0xFF);
            case 'h' -> new StructFieldCodec(name, format, 2, (out, v) -> out.putShort((short) v),
                    ByteBuffer::getShort);
            case 'H' -> new StructFieldCodec(name, format, 2,
                    (out, v) -> out.putShort((short) inRange(name, format, (int) v, 0, 0xFFFF)),
                    in -> in.getShort() & 0xFFFF);
            case 'i', 'l' -> new StructFieldCodec(name, format, 4, (out, v) -> out.putInt((int) v), ByteBuffer::getInt);
            case 'I', 'L' -> new StructFieldCodec(name, format, 4,
                    (out, v) -> out.putInt((int) inRange(name, format, (long) v, 0, 0xFFFF_FFFFL)),
                    in -> in.getInt() & 0xFFFF_FFFFL);
            case 'q' -> new StructFieldCodec(name, format, 8, (out, v) -> out.putLong((long) v), ByteBuffer::getLong);
            case 'Q' -> new StructFieldCodec(name, format, 8,
                    (out, v) -> out.putLong(inRange(name, format, (long) v, 0, Long.MAX_VALUE)),
                    in -> readUnsignedLong(name, in));
            case 'e' -> new StructFieldCodec(name, format, 2, (out, v) -> out.putShort(toHalf(name, (float) v)),
                    in -> Float.float16ToFloat(in.getShort()));
            case 'f' -> new StructFieldCodec(name, format, 4, (out, v) -> out.putFloat((float) v),
                    ByteBuffer::getFloat);
            case 'd' -> new StructFieldCodec(name, format, 8, (out, v) -> out.putDouble((double) v),
                    ByteBuffer::getDouble);
            case '?' -> new StructFieldCodec(name, format, 1, (out, v) -> out.put((boolean) v ? (byte) 1 : 0),
                    in -> in.get() != 0);
            default -> throw new IllegalArgumentException(name + " has format '" + format
                    + "', which is not supported; expected one of " + FORMATS);
        };
        Class<?> expected = javaType(format.charAt(0));
        if (type != expected) {
            throw new IllegalArgumentException(name + " is " + type.getTypeName() + " but format '"
                    + format + "' maps to " + expected.getName());
        }
        return codec;
    }

    private static Class<?> javaType(char format) {
        return switch (format) {
            case 'b', 'c' -> byte.class;
            case 'h' -> short.class;
            case 'B', 'H', 'i', 'l' -> int.class;
            case 'I', 'L', 'q', 'Q' -> long.class;
            case 'e', 'f' -> float.class;
            case 'd' -> double.class;
            case '?' -> boolean.class;
            default -> throw new AssertionError(format);
        };
    }

    /** A {@code [count]s} field: a {@code String} in the charset or a {@code byte[]}, padded with NULs. */
    private static StructFieldCodec bytes(String name, String format, Class<?> type, Charset charset,
            boolean stripNuls) {
        String count = format.substring(0, format.length() - 1);
        if (!format.endsWith("s") || !count.chars().allMatch(c -> c >= '0' && c <= '9') || count.length() > 9) {
            throw new IllegalArgumentException(name + " has format '" + format
                    + "', which is not supported; expected one of " + FORMATS);
        }
        int size = count.isEmpty() ? 1 : Integer.parseInt(count);
        boolean text = type == String.class;
        if (!text && type != byte[].class) {
            throw new IllegalArgumentException(name + " is " + type.getTypeName() + " but format '"
                    + format + "' maps to java.lang.String or byte[]");
        }
        Writer writer = (out, value) -> {
            byte[] bytes = text ? encode(name, charset, (String) value) : (byte[]) value;
            if (bytes.length > size) {
                // Python's struct.pack would cut the value short without a word.
                throw new IllegalArgumentException(name + " is " + bytes.length + " bytes"
                        + (text ? " in " + charset.name() : "") + ", longer than the " + size + " of format '"
                        + format + "'");
            }
            out.put(bytes).position(out.position() + size - bytes.length);
        };
        Reader reader = in -> {
            int start = in.arrayOffset() + in.position();
            in.position(in.position() + size);
            int length = size;
            while (stripNuls && length > 0 && in.array()[start + length - 1] == 0) {
                length--;
            }
            if (!text) {
                return Arrays.copyOfRange(in.array(), start, start + length);
            }
            try {
                return StrictText.decode(charset, in.array(), start, length);
            } catch (CharacterCodingException e) {
                throw new DeserializeException(name + " is not valid " + charset.name() + ": "
                        + BytePreview.of(in.array(), start, length), e);
            }
        };
        return new StructFieldCodec(name, format, size, writer, reader);
    }

    private static byte[] encode(String name, Charset charset, String value) {
        try {
            return StrictText.encode(charset, value);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " cannot be encoded in " + charset.name() + ": "
                    + value, e);
        }
    }

    private static long inRange(String name, String format, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " is " + value + ", out of the range of format '"
                    + format + "' (" + min + " to " + max + ")");
        }
        return value;
    }

    private static long readUnsignedLong(String name, ByteBuffer in) throws DeserializeException {
        long value = in.getLong();
        if (value < 0) {
            throw new DeserializeException(name + " is " + Long.toUnsignedString(value)
                    + ", beyond the " + Long.MAX_VALUE + " a long holds");
        }
        return value;
    }

    private static short toHalf(String name, float value) {
        short half = Float.floatToFloat16(value);
        if (Float.isFinite(value) && Float.isInfinite(Float.float16ToFloat(half))) {
            throw new IllegalArgumentException(name + " is " + value + ", out of the range of format "
                    + "'e' (-65504 to 65504)");
        }
        return half;
    }
}
