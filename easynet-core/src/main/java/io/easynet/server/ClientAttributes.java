package io.easynet.server;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Per-client state: values a handler stores for one connection, for example in {@code onConnection}, and reads
 * back in {@code handle} and {@code onDisconnection} of the same client. Thread-safe, so background tasks that
 * serve the client can use it too.
 */
public final class ClientAttributes {

    private final Map<AttributeKey<?>, Object> values = new ConcurrentHashMap<>();

    ClientAttributes() {
    }

    /**
     * {@return the value stored under {@code key}, or {@code null}}
     *
     * @param <T> the type of the value
     * @param key the key
     */
    public <T> @Nullable T get(AttributeKey<T> key) {
        Object value = values.get(Objects.requireNonNull(key, "key"));
        return value == null ? null : key.cast(value);
    }

    /**
     * Stores {@code value} under {@code key}, replacing any value there.
     *
     * @param <T> the type of the value
     * @param key the key
     * @param value the value to store
     */
    public <T> void set(AttributeKey<T> key, T value) {
        values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * {@return the value under {@code key}, stored first from {@code initial} if there was none}
     *
     * @param <T> the type of the value
     * @param key the key
     * @param initial supplies the value if none is stored
     */
    public <T> T computeIfAbsent(AttributeKey<T> key, Supplier<? extends T> initial) {
        Objects.requireNonNull(key, "key");
        return key.cast(values.computeIfAbsent(key, k -> Objects.requireNonNull(initial.get(), "initial value")));
    }

    /**
     * Removes and returns the value under {@code key}, or {@code null}.
     *
     * @param <T> the type of the value
     * @param key the key
     * @return the value that was stored, or {@code null}
     */
    public <T> @Nullable T remove(AttributeKey<T> key) {
        Object value = values.remove(Objects.requireNonNull(key, "key"));
        return value == null ? null : key.cast(value);
    }
}
