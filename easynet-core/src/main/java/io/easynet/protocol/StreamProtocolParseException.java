package io.easynet.protocol;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A packet could not be parsed. It surfaces at the receive point, where a handler may catch it and go on:
 * the bytes of the bad packet have been skipped, so the next receive starts at the packet after it.
 */
public class StreamProtocolParseException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Why a packet was refused. */
    public enum Reason {
        /** The packet's bytes are not a valid encoding of a packet. */
        INVALID_PACKET,
        /** The packet is larger than the limit set for the connection. */
        PACKET_TOO_LARGE,
        /** The packet is well formed but its {@link PacketConverter} refused it. */
        CONVERSION_FAILED
    }

    /** Why the packet was refused. */
    private final Reason reason;

    /** Where the bad packet starts, in bytes from the start of the connection's stream. */
    private final long streamOffset;

    /**
     * Creates the exception.
     *
     * @param reason why the packet was refused
     * @param streamOffset where the bad packet starts, in bytes from the start of the connection's stream
     * @param message what was wrong, for a reader of the log
     * @param cause the parser's own exception, if any
     */
    public StreamProtocolParseException(Reason reason, long streamOffset, String message, @Nullable Throwable cause) {
        super(message + " (packet at stream offset " + streamOffset + ")", cause);
        this.reason = reason;
        this.streamOffset = streamOffset;
    }

    /**
     * Creates the exception without an underlying cause.
     *
     * @param reason what was wrong with the bytes
     * @param streamOffset how many bytes of the stream came before the invalid packet
     * @param message the detail message
     */
    public StreamProtocolParseException(Reason reason, long streamOffset, String message) {
        this(reason, streamOffset, message, null);
    }

    /**
     * Why the packet was refused.
     *
     * @return what was wrong with the bytes
     */
    public Reason reason() {
        return reason;
    }

    /** {@return where the bad packet starts, in bytes from the start of the connection's stream} */
    public long streamOffset() {
        return streamOffset;
    }
}
