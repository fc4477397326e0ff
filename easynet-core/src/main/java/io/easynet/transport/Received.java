package io.easynet.transport;

import java.util.Objects;

/**
 * A packet received together with the file descriptors that arrived with its bytes. The receiver owns the
 * descriptors it {@linkplain FileDescriptors#take takes}; the ones it leaves are closed when it receives again or
 * the connection closes, so a descriptor nobody claims never leaks.
 *
 * @param packet the packet, which may be {@code null} where the protocol decodes {@code null} (a JSON {@code null})
 * @param descriptors the descriptors that came with the packet's bytes; {@link FileDescriptors#none()} if none did
 * @param <T> the packet type
 */
public record Received<T>(T packet, FileDescriptors descriptors) {

    /** Checks the descriptors are given. */
    public Received {
        Objects.requireNonNull(descriptors, "descriptors");
    }
}
