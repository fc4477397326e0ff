package io.easynet.internal.transport;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/** Closing bare file descriptors, which the JDK has no public call for. */
public final class Descriptors {

    private Descriptors() {
    }

    /**
     * Closes descriptors; the first failure is thrown after every one was tried, later ones suppressed.
     *
     * @param descriptors the descriptors to close
     * @throws IOException the first close that failed
     */
    public static void closeAll(FileDescriptor... descriptors) throws IOException {
        IOException failure = null;
        for (FileDescriptor descriptor : descriptors) {
            // The JDK has no public close for a bare descriptor; a stream over it closes it, and runs the clean-up
            // that other owners (such as junixsocket) attached to it.
            try {
                new FileInputStream(descriptor).close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
