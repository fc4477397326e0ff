package io.easynet.protocol;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A well-formed packet that does not stand for a valid object, from {@link PacketConverter#fromWire}. */
public class PacketConversionException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with what was wrong, and the underlying exception if any.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public PacketConversionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception with what was wrong.
     *
     * @param message the detail message
     */
    public PacketConversionException(String message) {
        super(message);
    }
}
