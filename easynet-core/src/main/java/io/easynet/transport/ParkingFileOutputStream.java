package io.easynet.transport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A stream writing a received descriptor that may wait for its peer (a pipe, FIFO, socket, terminal...): a write
 * that finds no room parks the thread until the peer reads, so a virtual thread frees its carrier meanwhile. Its
 * {@link #getChannel() channel} is non-blocking: a channel write with no room writes nothing.
 */
final class ParkingFileOutputStream extends FileOutputStream {

    private final ParkingDescriptor descriptor;

    ParkingFileOutputStream(FileDescriptor fd) throws IOException {
        super(fd);
        this.descriptor = ParkingDescriptor.of(fd);
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
            written += (int) descriptor.transfer(fd -> NativeIo.write(fd, b, from, remaining), NativeIo.POLLOUT,
                    "write");
        }
    }

    @Override
    public void close() throws IOException {
        descriptor.close(super::close);
    }
}
