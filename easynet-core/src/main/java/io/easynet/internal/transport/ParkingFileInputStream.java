package io.easynet.internal.transport;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A stream reading a received descriptor that may wait for its peer (a pipe, FIFO, socket, terminal...): a read with
 * nothing to read parks the thread until bytes or the end of the stream arrive, so a virtual thread frees its
 * carrier meanwhile. Its {@link #getChannel() channel} may be non-blocking (a channel read with nothing to read
 * returns 0) or may block: read through the stream.
 */
final class ParkingFileInputStream extends FileInputStream {

    private final ParkingDescriptor descriptor;

    ParkingFileInputStream(ParkingDescriptor descriptor) {
        super(descriptor.descriptor());
        this.descriptor = descriptor;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        long read = descriptor.read(b, off, len);
        return read == 0 ? -1 : (int) read;
    }

    @Override
    public void close() throws IOException {
        descriptor.close(super::close);
    }
}
