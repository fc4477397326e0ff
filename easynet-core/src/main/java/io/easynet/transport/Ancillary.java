package io.easynet.transport;

import java.io.FileDescriptor;
import java.util.List;
import java.util.Objects;

/**
 * Ancillary data sent with the bytes of a write: file descriptors ({@code SCM_RIGHTS}) that the kernel duplicates
 * into the receiving process. Also sizes the buffer that receives them, as {@code CMSG_SPACE} does in C.
 *
 * <p>Only descriptors are carried: credentials are read with
 * {@link io.easynet.server.StreamClient#peerCredentials()} instead of being sent, which needs no cooperation from the
 * peer.
 */
public final class Ancillary {

    /** The most descriptors Linux passes in one message ({@code SCM_MAX_FD}). */
    public static final int MAX_DESCRIPTORS = 253;

    /**
     * The largest ancillary receive buffer, in bytes: {@code CMSG_SPACE(253 * sizeof(int))}, room for the
     * {@link #MAX_DESCRIPTORS} Linux passes in one message. A larger one would receive nothing more, so it is refused
     * rather than accepted as a promise; EasyNetwork's default of 8 KiB is therefore written as this size.
     */
    public static final int MAX_RECEIVE_BUFFER_SIZE = 1032;

    /** {@code sizeof(struct cmsghdr)} on 64-bit Linux, which is also {@code CMSG_ALIGN} of it. */
    private static final int HEADER_SIZE = 16;

    /** Control data is aligned to {@code size_t} on 64-bit Linux. */
    private static final int ALIGNMENT = 8;

    private static final int DESCRIPTOR_SIZE = Integer.BYTES;

    private final List<FileDescriptor> descriptors;

    private Ancillary(List<FileDescriptor> descriptors) {
        this.descriptors = descriptors;
    }

    /**
     * File descriptors to pass to the peer. They need only stay open until the write that carries them returns:
     * the kernel gives the receiver its own copies.
     *
     * @param descriptors the descriptors to send, in order
     * @return the ancillary data
     * @throws IllegalArgumentException if there are none, more than {@link #MAX_DESCRIPTORS}, or one is closed
     */
    public static Ancillary rights(FileDescriptor... descriptors) {
        Objects.requireNonNull(descriptors, "descriptors");
        if (descriptors.length == 0 || descriptors.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("between 1 and " + MAX_DESCRIPTORS + " descriptors can be sent at once, "
                    + "got " + descriptors.length);
        }
        for (int i = 0; i < descriptors.length; i++) {
            if (!Objects.requireNonNull(descriptors[i], "descriptors[" + i + "]").valid()) {
                throw new IllegalArgumentException("descriptors[" + i + "] is closed");
            }
        }
        return new Ancillary(List.of(descriptors));
    }

    /** {@return the descriptors to send, in order} */
    public List<FileDescriptor> descriptors() {
        return descriptors;
    }

    /**
     * {@return the ancillary receive buffer size, in bytes, that holds {@code descriptors} descriptors in one message:
     * {@code CMSG_SPACE(descriptors * sizeof(int))} on 64-bit Linux, such as 24 for one, 256 for 60 and {@link
     * #MAX_RECEIVE_BUFFER_SIZE} for {@link #MAX_DESCRIPTORS}}
     *
     * @param descriptors how many descriptors
     */
    public static int bufferSizeFor(int descriptors) {
        if (descriptors < 1 || descriptors > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("descriptors must be between 1 and " + MAX_DESCRIPTORS + ", got "
                    + descriptors);
        }
        int data = descriptors * DESCRIPTOR_SIZE;
        return HEADER_SIZE + (data + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /**
     * Checks an ancillary receive buffer size given as option {@code option}: it must hold at least one descriptor
     * ({@code bufferSizeFor(1)}, 24 bytes) and at most {@link #MAX_RECEIVE_BUFFER_SIZE}.
     *
     * @param option the name of the setting, for the message
     * @param size the buffer size in bytes
     * @return the size
     * @throws IllegalArgumentException naming the option, the size and the limits
     */
    public static int requireReceiveBufferSize(String option, int size) {
        int min = bufferSizeFor(1);
        if (size < min || size > MAX_RECEIVE_BUFFER_SIZE) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + MAX_RECEIVE_BUFFER_SIZE
                    + " bytes, got " + size + ": Linux passes at most " + MAX_DESCRIPTORS + " descriptors in one message "
                    + "(SCM_MAX_FD), which take " + MAX_RECEIVE_BUFFER_SIZE + " bytes; Ancillary.bufferSizeFor(n) sizes "
                    + "it for n descriptors");
        }
        return size;
    }

    /**
     * {@return how many descriptors a buffer of {@code bufferSize} bytes receives in one message: 0 if too small for
     * any, and never more than {@link #MAX_DESCRIPTORS}} A message with more is refused whole, none of its descriptors
     * kept.
     *
     * @param bufferSize the buffer size in bytes
     */
    public static int descriptorsFitting(int bufferSize) {
        return Math.clamp((bufferSize - HEADER_SIZE) / DESCRIPTOR_SIZE, 0, MAX_DESCRIPTORS);
    }
}
