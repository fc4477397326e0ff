package io.easynet.transport;

import java.io.IOException;
import java.io.Serial;

/**
 * More descriptors arrived in one message than the ancillary receive buffer holds. The transport closes every one of
 * them, and the connection too: the bytes they came with mean nothing without them, so the stream can no longer be
 * trusted.
 */
public final class AncillaryTruncatedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The size of the ancillary receive buffer that was too small, in bytes. */
    private final int bufferSize;

    /**
     * Reports that the kernel truncated the ancillary data ({@code MSG_CTRUNC}): the bytes of that read were lost
     * with it.
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

    /**
     * Reports that {@code received} descriptors arrived in one message, more than the configured buffer holds: all
     * of them were closed, and so was the connection.
     *
     * @param bufferSize the configured size of the ancillary receive buffer, in bytes
     * @param maxBufferSize the largest buffer the transport can receive with, in bytes
     * @param received how many descriptors arrived
     */
    public AncillaryTruncatedException(int bufferSize, int maxBufferSize, int received) {
        super("ancillary data refused: " + received + " descriptors arrived in one message, more than the "
                + bufferSize + "-byte ancillary buffer holds (" + Ancillary.descriptorsFitting(bufferSize)
                + " descriptors); all of them and the connection were closed. " + advice(bufferSize, maxBufferSize));
        this.bufferSize = bufferSize;
    }

    /** {@return the size of the ancillary receive buffer that was too small, in bytes} */
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
