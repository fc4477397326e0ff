package io.easynet.transport;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A received descriptor put in non-blocking mode, whose reads and writes park the calling thread in the
 * {@link DescriptorPoller} until they can proceed, instead of blocking it in the kernel: a virtual thread then
 * frees its carrier while it waits.
 *
 * <p>Each system call runs under a lock that {@link #close} also takes, so that no call can reach a descriptor
 * number that was closed meanwhile and perhaps reused for another file.
 */
final class ParkingDescriptor {

    /** One non-blocking {@code read(2)} or {@code write(2)}: its count, or minus its {@code errno}. */
    @FunctionalInterface
    interface Call {
        long run(int fd);
    }

    private final ReentrantLock lock = new ReentrantLock();

    private final int fd;

    private volatile boolean closed;

    private ParkingDescriptor(int fd) {
        this.fd = fd;
    }

    /**
     * Puts {@code descriptor} in non-blocking mode. The mode belongs to the open file, which the sender of the
     * descriptor shares: its own copy becomes non-blocking too.
     */
    static ParkingDescriptor of(FileDescriptor descriptor) throws IOException {
        int fd = FileDescriptorCast.using(descriptor).as(Integer.class);
        NativeIo.setNonBlocking(fd);
        return new ParkingDescriptor(fd);
    }

    /**
     * {@return whether reads and writes on {@code descriptor} are served from a file's pages and never wait for a
     * peer} A regular file is; a pipe, FIFO, socket, terminal or other device may wait for as long as its peer
     * likes. A descriptor that cannot be inspected counts as one that may wait.
     */
    static boolean neverWaits(FileDescriptor descriptor) {
        try {
            int fd = FileDescriptorCast.using(descriptor).as(Integer.class);
            return Files.isRegularFile(Path.of("/dev/fd/" + fd));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code call} until it does not ask to wait, parking in between until the descriptor may be ready for
     * {@code events}.
     *
     * @return what {@code call} returned last, never negative
     * @throws IOException if the call failed, the descriptor was closed, or the thread was interrupted
     */
    long transfer(Call call, short events, String what) throws IOException {
        while (true) {
            long result;
            lock.lock();
            try {
                if (closed) {
                    throw new IOException("Stream Closed");
                }
                result = call.run(fd);
            } finally {
                lock.unlock();
            }
            if (result >= 0) {
                return result;
            }
            int errno = (int) -result;
            if (errno == NativeIo.EAGAIN) {
                DescriptorPoller.get().await(fd, events, () -> closed);
            } else if (errno != NativeIo.EINTR) {
                throw NativeIo.failure(what + " on received descriptor " + fd, errno);
            }
        }
    }

    /**
     * Closes the descriptor through {@code close} (the owning stream's own close) and releases the threads that
     * wait on it, which then find it closed.
     */
    void close(IoRunnable close) throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            close.run();
        } finally {
            lock.unlock();
            DescriptorPoller.get().releaseAll(fd);
        }
    }

    /** A close that may fail. */
    @FunctionalInterface
    interface IoRunnable {
        void run() throws IOException;
    }
}
