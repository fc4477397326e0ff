package io.easynet.protocol;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Bytes that are not a valid packet, from {@link PacketSerializer#deserialize}. In a stream it becomes a
 * {@link StreamProtocolParseException} that also says where the packet starts.
 */
public class DeserializeException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with what was wrong, and the parser's own exception if any.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public DeserializeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception with what was wrong.
     *
     * @param message the detail message
     */
    public DeserializeException(String message) {
        super(message);
    }
}
