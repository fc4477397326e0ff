package io.easynet.transport;

import java.io.Serial;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A name in Linux's abstract socket namespace: no file, gone when the socket closes, reachable from the same network
 * namespace only. Written {@code @name}, as {@code ss} and {@code /proc/net/unix} show it. Only
 * the junixsocket transport binds and connects such addresses: servers and clients on one use it.
 */
public final class AbstractUnixAddress extends SocketAddress {

    @Serial
    private static final long serialVersionUID = 1L;

    /** {@code sun_path} holds 108 bytes on Linux, the first of which is the NUL that marks an abstract name. */
    static final int MAX_NAME_BYTES = 107;

    /** The name, without the leading {@code @} or NUL. */
    private final String name;

    private AbstractUnixAddress(String name) {
        this.name = name;
    }

    /**
     * {@return the abstract address {@code name}, without the leading {@code @} or NUL} The name is exactly these UTF-8
     * bytes, not padded, so peers in other languages reach it by the same string.
     *
     * @param name the name, with or without the leading {@code @}
     * @throws IllegalArgumentException if the name is empty or longer than 107 bytes in UTF-8
     */
    public static AbstractUnixAddress of(String name) {
        Objects.requireNonNull(name, "name");
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("an abstract socket name takes 1 to " + MAX_NAME_BYTES
                    + " bytes in UTF-8, got " + length + " for \"" + name + "\"");
        }
        return new AbstractUnixAddress(name);
    }

    /** {@return the name, without the leading {@code @}} */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof AbstractUnixAddress address && name.equals(address.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The name with a leading {@code @}, as Linux tools show abstract addresses. */
    @Override
    public String toString() {
        return "@" + name;
    }
}
