package io.easynet.server;

import java.util.Objects;

/**
 * A typed key for per-client state kept in {@link ClientAttributes}. Keys are compared by identity, so two
 * libraries that pick the same name do not collide: declare each key once, as a constant.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {

    private final String name;

    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * {@return a new key; {@code name} is for log and debug output only}
     *
     * @param <T> the type of the value
     * @param name the key's name
     * @param type the class of the value
     */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /** {@return the key's name, for log and debug output} */
    public String name() {
        return name;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
