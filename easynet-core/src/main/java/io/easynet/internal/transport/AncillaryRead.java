package io.easynet.internal.transport;

import io.easynet.transport.FileDescriptors;
import java.util.Objects;

/**
 * What one {@link UnixConnection#readWithAncillary read with ancillary data} returned.
 *
 * @param bytesRead the number of bytes read, or -1 at end of stream
 * @param descriptors the file descriptors that came with those bytes, owned by the caller (empty if none)
 */
public record AncillaryRead(int bytesRead, FileDescriptors descriptors) {

    /** Checks the descriptors are given. */
    public AncillaryRead {
        Objects.requireNonNull(descriptors, "descriptors");
    }
}
