package org.newsclub.net.unix;

import java.util.Objects;
import org.jspecify.annotations.NullMarked;

/**
 * Gives a junixsocket channel an ancillary receive buffer of exactly the size asked for. junixsocket 2.11.1 clamps
 * every size to 256 bytes (60 descriptors), so a peer sending more descriptors in one message makes the kernel
 * install the 60 that fit and report {@code MSG_CTRUNC}, and junixsocket then fails the read without handing those
 * 60 out: nobody can close them. With room for Linux's {@code SCM_MAX_FD} (253) descriptors the kernel never
 * truncates, and EasyNet enforces the configured limit itself by closing what arrived.
 *
 * <p>It lives in junixsocket's package to reach the package-private {@code AncillaryDataSupport} that bypasses the
 * clamp. That split package works only on the class path, where both jars share one runtime package; on the module
 * path the call fails with a {@link LinkageError}, which the transport reports.
 */
@NullMarked
public final class EasyNetAncillaryReceiveBuffer {

    private EasyNetAncillaryReceiveBuffer() {
    }

    /**
     * Sets {@code channel}'s ancillary receive buffer to {@code size} bytes, unclamped, unless it already has that
     * size.
     *
     * @param channel the channel
     * @param size the buffer size in bytes
     * @throws IllegalArgumentException if {@code size} is not positive
     */
    public static void set(AFUNIXSocketChannel channel, int size) {
        Objects.requireNonNull(channel, "channel");
        if (size <= 0) {
            throw new IllegalArgumentException("the ancillary receive buffer size must be positive, got " + size);
        }
        AncillaryDataSupport support = channel.getAFSocket().getAFImpl(false).getAncillaryDataSupport();
        if (support.getAncillaryReceiveBufferSize() != size) {
            support.setAncillaryReceiveBufferSize0(size);
        }
    }
}
