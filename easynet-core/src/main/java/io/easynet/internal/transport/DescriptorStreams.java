package io.easynet.internal.transport;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Streams over a received descriptor that park a virtual thread instead of blocking its carrier: a plain stream for
 * a regular file, which never waits, and a parking one for anything else (see {@link ParkingDescriptor}).
 */
public final class DescriptorStreams {

    private DescriptorStreams() {
    }

    /**
     * Makes a stream that reads the descriptor; closing it closes the descriptor.
     *
     * @param descriptor a descriptor the caller owns, owned by the stream from now on
     * @return the stream
     * @throws IOException if a descriptor that may wait is not open for reading or cannot be inspected; it is closed
     */
    public static FileInputStream input(FileDescriptor descriptor) throws IOException {
        if (ParkingDescriptor.neverWaits(descriptor)) {
            return new FileInputStream(descriptor);
        }
        try {
            return new ParkingFileInputStream(ParkingDescriptor.of(descriptor, false));
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(descriptor, e);
            throw e;
        }
    }

    /**
     * Makes a stream that writes the descriptor; closing it closes the descriptor.
     *
     * @param descriptor a descriptor the caller owns, owned by the stream from now on
     * @return the stream
     * @throws IOException if a descriptor that may wait is not open for writing or cannot be inspected; it is closed
     */
    public static FileOutputStream output(FileDescriptor descriptor) throws IOException {
        if (ParkingDescriptor.neverWaits(descriptor)) {
            return new FileOutputStream(descriptor);
        }
        try {
            return new ParkingFileOutputStream(ParkingDescriptor.of(descriptor, true));
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(descriptor, e);
            throw e;
        }
    }

    private static void closeAfterFailure(FileDescriptor descriptor, Exception failure) {
        try {
            Descriptors.closeAll(descriptor);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
