package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Java records as fixed-size binary structs in the notation of Python's {@code struct} module, wire-compatible
 * with EasyNetwork's {@code NamedTupleStructSerializer}: each component is annotated with its format, and the
 * components are laid out in declaration order, with no padding between them.
 *
 * <pre>{@code
 * record Person(@StructField("8s") String name, @StructField("I") long age, @StructField("B") int flag) {}
 *
 * StructSerializer<Person> serializer = StructSerializer.of(Person.class);  // format "!8sIB", 13 bytes
 * // Python: NamedTupleStructSerializer(Person, {"name": "8s", "age": "I", "flag": "B"})
 * }</pre>
 *
 * <p>Formats and the Java type each maps to (standard sizes):
 * <table>
 * <caption>struct formats</caption>
 * <tr><th>format</th><th>bytes</th><th>Java type</th><th>values</th></tr>
 * <tr><td>{@code b}, {@code c}</td><td>1</td><td>{@code byte}</td><td>any ({@code c} is Python's one-byte
 * {@code bytes})</td></tr>
 * <tr><td>{@code B}</td><td>1</td><td>{@code int}</td><td>0 to 255</td></tr>
 * <tr><td>{@code h}</td><td>2</td><td>{@code short}</td><td>any</td></tr>
 * <tr><td>{@code H}</td><td>2</td><td>{@code int}</td><td>0 to 65535</td></tr>
 * <tr><td>{@code i}, {@code l}</td><td>4</td><td>{@code int}</td><td>any</td></tr>
 * <tr><td>{@code I}, {@code L}</td><td>4</td><td>{@code long}</td><td>0 to 2^32 - 1</td></tr>
 * <tr><td>{@code q}</td><td>8</td><td>{@code long}</td><td>any</td></tr>
 * <tr><td>{@code Q}</td><td>8</td><td>{@code long}</td><td>0 to 2^63 - 1; a larger received value is an invalid
 * packet</td></tr>
 * <tr><td>{@code e}</td><td>2</td><td>{@code float}</td><td>half precision, rounded to nearest; beyond
 * ±65504 refused</td></tr>
 * <tr><td>{@code f}</td><td>4</td><td>{@code float}</td><td>any</td></tr>
 * <tr><td>{@code d}</td><td>8</td><td>{@code double}</td><td>any</td></tr>
 * <tr><td>{@code ?}</td><td>1</td><td>{@code boolean}</td><td>written as 1 or 0; any non-zero byte reads as
 * {@code true}, as in Python</td></tr>
 * <tr><td>{@code [count]s}</td><td>count (1 if omitted)</td><td>{@code String} (in the charset) or
 * {@code byte[]}</td><td>at most count bytes, padded with NULs</td></tr>
 * </table>
 *
 * <p>A value out of its format's range is refused with an {@link IllegalArgumentException} naming the component,
 * and so is a string longer than its {@code s} field, where Python's {@code struct} silently cuts it short. When
 * receiving, trailing NUL bytes of {@code s} fields are removed (EasyNetwork's default) and strings are decoded
 * strictly. A received struct the record's constructor refuses is an invalid packet.
 *
 * <p>The byte order is EasyNetwork's endianness character: {@code !} (network order, the default) and {@code >}
 * are big-endian, {@code <} little-endian, {@code =} the machine's order; all use standard sizes and no alignment.
 * Python's {@code @} (native sizes and alignment, which depend on the machine) is not supported.
 *
 * @param <R> the record type
 */
public final class StructSerializer<R extends Record> extends FixedSizeSerializer<R> {

    private final Class<R> type;

    private final char byteOrderCharacter;

    private final ByteOrder byteOrder;

    private final Charset charset;

    private final boolean stripNuls;

    private final List<Component> components;

    private final MethodHandle constructor;

    private record Component(StructFieldCodec codec, MethodHandle accessor) {
    }

    private StructSerializer(Class<R> type, char byteOrderCharacter, Charset charset, boolean stripNuls,
            Layout layout) {
        super(layout.size());
        this.type = type;
        this.byteOrderCharacter = byteOrderCharacter;
        this.byteOrder = byteOrder(byteOrderCharacter);
        this.charset = charset;
        this.stripNuls = stripNuls;
        this.components = layout.components();
        this.constructor = layout.constructor();
    }

    /**
     * Structs of {@code type} in network byte order ({@code !}), strings in UTF-8 with trailing NULs removed.
     *
     * @param <R> the record type of the structs
     * @param type the record class whose components carry the {@link StructField} formats
     * @return the serializer
     */
    public static <R extends Record> StructSerializer<R> of(Class<R> type) {
        return of(type, '!');
    }

    /**
     * Structs of {@code type} in the byte order that EasyNetwork's endianness character {@code byteOrder} names.
     *
     * @param byteOrder {@code !} or {@code >} (big-endian), {@code <} (little-endian), {@code =} (this machine's)
     * @param <R> the record type of the structs
     * @param type the record class whose components carry the {@link StructField} formats
     * @return the serializer
     * @throws IllegalArgumentException if {@code type} is not a record whose components all have a supported
     *     {@link StructField} format that fits their type, or the byte order character is not supported
     */
    public static <R extends Record> StructSerializer<R> of(Class<R> type, char byteOrder) {
        Objects.requireNonNull(type, "type");
        return create(type, byteOrder, StandardCharsets.UTF_8, true);
    }

    /**
     * {@return the same structs with {@code String} components of {@code s} formats in {@code charset}}
     *
     * @param charset the charset of {@code s} fields
     */
    public StructSerializer<R> withCharset(Charset charset) {
        return create(type, byteOrderCharacter, Objects.requireNonNull(charset, "charset"), stripNuls);
    }

    /**
     * {@return the same structs, with trailing NUL bytes of received {@code s} fields removed or kept (EasyNetwork's
     * {@code strip_string_trailing_nul_bytes}, on by default)} Keep them to receive binary {@code byte[]} values that
     * may end with zeros.
     *
     * @param strip {@code true} to remove trailing NUL bytes
     */
    public StructSerializer<R> withStripTrailingNuls(boolean strip) {
        return create(type, byteOrderCharacter, charset, strip);
    }

    /** {@return the whole format in Python's notation, byte order character first, e.g. {@code "!8sIB"}} */
    public String format() {
        StringBuilder format = new StringBuilder().append(byteOrderCharacter);
        components.forEach(component -> format.append(component.codec().format()));
        return format.toString();
    }

    /**
     * The struct's bytes, exactly {@link #size()} of them.
     *
     * @throws IllegalArgumentException naming the component if a value is out of its format's range, a string is
     *     too long for its field or cannot be encoded, or a value is {@code null}
     */
    @Override
    public byte[] serialize(R packet) {
        Objects.requireNonNull(packet, "packet");
        ByteBuffer out = ByteBuffer.allocate(size()).order(byteOrder);
        for (Component component : components) {
            Object value = invoke(component.accessor(), packet);
            if (value == null) {
                throw new IllegalArgumentException(component.codec().name() + " is null");
            }
            component.codec().writer().write(out, value);
        }
        return out.array();
    }

    /** The record {@code data[offset, offset + length)} holds; {@code length} must be {@link #size()}. */
    @Override
    public R deserialize(byte[] data, int offset, int length) throws DeserializeException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length != size()) {
            throw new DeserializeException(type.getSimpleName() + " structs are " + size() + " bytes, got " + length
                    + ": " + BytePreview.of(data, offset, length));
        }
        ByteBuffer in = ByteBuffer.wrap(data, offset, length).order(byteOrder);
        Object[] values = new Object[components.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = components.get(i).codec().reader().read(in);
        }
        try {
            return type.cast(constructor.invoke(values));
        } catch (RuntimeException e) {
            throw new DeserializeException("cannot create " + type.getSimpleName() + " from the received values: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()), e);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new UndeclaredThrowableException(e);
        }
    }

    @Override
    public String toString() {
        return "StructSerializer[" + type.getSimpleName() + ", " + format() + ", " + charset.name()
                + (stripNuls ? "" : ", NULs kept") + "]";
    }

    private static <R extends Record> StructSerializer<R> create(Class<R> type, char byteOrder, Charset charset,
            boolean stripNuls) {
        return new StructSerializer<>(type, byteOrder, charset, stripNuls, Layout.of(type, charset, stripNuls));
    }

    private static ByteOrder byteOrder(char character) {
        return switch (character) {
            case '!', '>' -> ByteOrder.BIG_ENDIAN;
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            case '@' -> throw new IllegalArgumentException("byte order '@' (native sizes and alignment) is not "
                    + "supported: its layout depends on the machine; use '=' for the machine's byte order with "
                    + "standard sizes, or '!', '>' or '<'");
            default -> throw new IllegalArgumentException("byte order must be one of '!', '>', '<' or '=', got '"
                    + character + "'");
        };
    }

    private static Object invoke(MethodHandle accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new UndeclaredThrowableException(e);
        }
    }

    /** The components of a record type, their codecs and how to read and create them. */
    private record Layout(int size, List<Component> components, MethodHandle constructor) {

        static Layout of(Class<? extends Record> type, Charset charset, boolean stripNuls) {
            if (!type.isRecord()) {
                throw new IllegalArgumentException(type.getName() + " is not a record");
            }
            RecordComponent[] recordComponents = type.getRecordComponents();
            if (recordComponents.length == 0) {
                throw new IllegalArgumentException(type.getName() + " has no components to lay out");
            }
            List<Component> components = new ArrayList<>();
            Class<?>[] types = new Class<?>[recordComponents.length];
            long size = 0;
            for (int i = 0; i < recordComponents.length; i++) {
                RecordComponent recordComponent = recordComponents[i];
                String name = type.getSimpleName() + "." + recordComponent.getName();
                StructField field = recordComponent.getAnnotation(StructField.class);
                if (field == null) {
                    throw new IllegalArgumentException(name + " has no @StructField format");
                }
                types[i] = recordComponent.getType();
                StructFieldCodec codec = StructFieldCodec.of(name, field.value(), types[i], charset, stripNuls);
                components.add(new Component(codec, accessor(type, recordComponent.getAccessor())));
                size += codec.size();
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(type.getName() + " structs would be " + size + " bytes, more than "
                        + "an array holds");
            }
            return new Layout((int) size, List.copyOf(components), constructor(type, types));
        }

        private static MethodHandle accessor(Class<?> type, Method accessor) {
            try {
                accessor.setAccessible(true);
                return MethodHandles.lookup().unreflect(accessor).asType(MethodType.methodType(Object.class,
                        Object.class));
            } catch (IllegalAccessException | InaccessibleObjectException e) {
                throw inaccessible(type, e);
            }
        }

        private static MethodHandle constructor(Class<?> type, Class<?>[] types) {
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return MethodHandles.lookup().unreflectConstructor(constructor)
                        .asType(MethodType.methodType(Object.class, types))
                        .asSpreader(Object[].class, types.length);
            } catch (NoSuchMethodException e) {
                throw new AssertionError("a record has a canonical constructor", e);
            } catch (IllegalAccessException | InaccessibleObjectException e) {
                throw inaccessible(type, e);
            }
        }

        private static IllegalArgumentException inaccessible(Class<?> type, Exception e) {
            return new IllegalArgumentException("cannot read or create " + type.getName() + ": its module must open "
                    + "its package to EasyNet's", e);
        }
    }
}
