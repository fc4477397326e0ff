package io.easynet.internal.transport;

import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A stream writing a received descriptor that may wait for its peer (a pipe, FIFO, socket, terminal...): a write
 * that finds no room parks the thread until the peer reads, so a virtual thread frees its carrier meanwhile. Its
 * {@link #getChannel() channel} may be non-blocking (a channel write with no room writes nothing) or may block:
 * write through the stream.
 */
final class ParkingFileOutputStream extends FileOutputStream {

    private final ParkingDescriptor descriptor;

    ParkingFileOutputStream(ParkingDescriptor descriptor) {
        super(descriptor.descriptor());
        this.descriptor = descriptor;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int written = 0;
        while (written < len) {
            int from = off + written;
            int remaining = len - written;
            written += (int) descriptor.write(b, from, remaining);
        }
    }

    @Override
    public void close() throws IOException {
        descriptor.close(super::close);
    }
}
