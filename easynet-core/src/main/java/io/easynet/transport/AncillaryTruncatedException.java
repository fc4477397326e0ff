package io.easynet.transport;

import java.io.IOException;
import java.io.Serial;

/**
 * More ancillary data arrived than the receive buffer holds ({@code MSG_CTRUNC}). The bytes that came with it are
 * lost with it, so the stream can no longer be trusted and the connection has been closed.
 */
public final class AncillaryTruncatedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int bufferSize;

    /**
     * Creates the exception.
     *
     * @param bufferSize the size of the ancillary receive buffer that was too small, in bytes
     * @param maxBufferSize the largest buffer the transport can receive with, in bytes
     * @param cause what the socket library reported
     */
    public AncillaryTruncatedException(int bufferSize, int maxBufferSize, Throwable cause) {
        super("ancillary data was truncated: more descriptors arrived than the " + bufferSize + "-byte ancillary "
                + "buffer holds (" + Ancillary.descriptorsFitting(bufferSize) + " descriptors); the bytes that came "
                + "with them are lost and the connection was closed. " + advice(bufferSize, maxBufferSize), cause);
        this.bufferSize = bufferSize;
    }

    /** The size of the ancillary receive buffer that was too small, in bytes. */
    public int bufferSize() {
        return bufferSize;
    }

    private static String advice(int bufferSize, int maxBufferSize) {
        if (bufferSize < maxBufferSize) {
            return "Raise the ancillary buffer size, up to " + maxBufferSize + " bytes (Ancillary.bufferSizeFor(n) "
                    + "for n descriptors), or have the peer send fewer descriptors per write";
        }
        return "That is the most this transport receives per read: have the peer send at most "
                + Ancillary.descriptorsFitting(maxBufferSize) + " descriptors per write";
    }
}
