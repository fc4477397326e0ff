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

    /** A new key; {@code name} is for log and debug output only. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /** The key's name, for log and debug output. */
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
