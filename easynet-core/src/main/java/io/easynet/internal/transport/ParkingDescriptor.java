package io.easynet.internal.transport;

import io.easynet.transport.FileDescriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A received descriptor whose reads and writes park the calling thread in the {@link DescriptorPoller} until they
 * can proceed, instead of blocking it in the kernel: a virtual thread then frees its carrier while it waits.
 *
 * <p>The descriptor's own mode is never changed: {@code O_NONBLOCK} belongs to the open file, which the sender
 * shares, and would make the sender's own reads and writes fail with {@code EAGAIN}. A socket is read and written
 * with {@code MSG_DONTWAIT}, a flag of each call; a pipe, FIFO, terminal or other device is opened again through
 * {@code /proc/self/fd}, non-blocking, as an open file of the server's own, and the passed copy is closed; anything
 * else ({@code eventfd}, a pipe of another user...) is polled until ready, then read or written as it is.
 *
 * <p>Each system call runs under a lock that {@link #close} also takes, so that no call can reach a descriptor
 * number that was closed meanwhile and perhaps reused for another file.
 */
final class ParkingDescriptor {

    /** One {@code read}- or {@code write}-like call: its count, or minus its {@code errno}. */
    @FunctionalInterface
    private interface Call {
        long run(int fd);
    }

    /** How a descriptor is kept from blocking without a change to its open file. */
    private enum Access {

        /** A socket: {@code recv} and {@code send} with {@code MSG_DONTWAIT}. */
        SOCKET,

        /** An open file of the server's own, non-blocking: {@code read} and {@code write}. */
        REOPENED,

        /**
         * A descriptor that could be neither: {@code poll(2)} for readiness, then a blocking call, in chunks of at
         * most {@link #POLLED_WRITE} bytes. A sender that drains or fills its own copy in between makes the call
         * wait in the kernel, its carrier held, until the sender writes or reads again.
         */
        POLLED
    }

    private static final int S_IFMT = 0170000;

    private static final int S_IFSOCK = 0140000;

    private static final int S_IFIFO = 0010000;

    private static final int S_IFCHR = 0020000;

    /** POSIX's least {@code PIPE_BUF}: a write this small to a pipe that polled writable never waits. */
    private static final int POLLED_WRITE = 512;

    private final ReentrantLock lock = new ReentrantLock();

    private final FileDescriptor descriptor;

    private final int fd;

    private final Access access;

    private volatile boolean closed;

    private ParkingDescriptor(FileDescriptor descriptor, int fd, Access access) {
        this.descriptor = descriptor;
        this.fd = fd;
        this.access = access;
    }

    /**
     * Prepares received {@code descriptor} to be written, or read with {@code write} false, without changing its
     * open file; the descriptor may be replaced by one of the server's own ({@link #descriptor()}), and then it is
     * closed.
     *
     * @throws IOException if the descriptor is not open for that direction, or cannot be inspected (it is closed)
     */
    static ParkingDescriptor of(FileDescriptor descriptor, boolean write) throws IOException {
        int fd = FileDescriptorCast.using(descriptor).as(Integer.class);
        if (!NativeIo.isOpenFor(fd, write)) {
            throw new IOException("received descriptor " + fd + " is not open for " + (write ? "writing" : "reading"));
        }
        int type = type(fd);
        if (type == S_IFSOCK) {
            return new ParkingDescriptor(descriptor, fd, Access.SOCKET);
        }
        int reopened = type == S_IFIFO || type == S_IFCHR ? NativeIo.reopen(fd, write) : -1;
        if (reopened < 0) {
            return new ParkingDescriptor(descriptor, fd, Access.POLLED);
        }
        FileDescriptor own = FileDescriptorCast.unsafeUsing(reopened).as(FileDescriptor.class);
        try {
            Descriptors.closeAll(descriptor);
        } catch (IOException e) {
            Descriptors.closeAll(own);
            throw e;
        }
        return new ParkingDescriptor(own, reopened, Access.REOPENED);
    }

    /** {@return the type bits of descriptor {@code fd}'s mode, 0 if it cannot be inspected} */
    private static int type(int fd) {
        try {
            return (int) Files.getAttribute(Path.of("/dev/fd/" + fd), "unix:mode") & S_IFMT;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@return the descriptor read and written: the received one, or the server's own open file in its place} */
    FileDescriptor descriptor() {
        return descriptor;
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
     * Reads into {@code bytes}, parking until there is something to read.
     *
     * @return the bytes read, 0 at the end of the stream
     * @throws IOException if the read failed, the descriptor was closed, or the thread was interrupted
     */
    long read(byte[] bytes, int offset, int length) throws IOException {
        return transfer(fd -> switch (access) {
            case SOCKET -> NativeIo.receive(fd, bytes, offset, length);
            case REOPENED -> NativeIo.read(fd, bytes, offset, length);
            case POLLED -> NativeIo.isReady(fd, NativeIo.POLLIN) ? NativeIo.read(fd, bytes, offset, length)
                    : -NativeIo.EAGAIN;
        }, NativeIo.POLLIN, "read");
    }

    /**
     * Writes {@code bytes}, or as many of their first ones as there is room for, parking until there is some.
     *
     * @return the bytes written, at least 1 unless {@code length} is 0
     * @throws IOException if the write failed, the descriptor was closed, or the thread was interrupted
     */
    long write(byte[] bytes, int offset, int length) throws IOException {
        return transfer(fd -> switch (access) {
            case SOCKET -> NativeIo.send(fd, bytes, offset, length);
            case REOPENED -> NativeIo.write(fd, bytes, offset, length);
            case POLLED -> NativeIo.isReady(fd, NativeIo.POLLOUT)
                    ? NativeIo.write(fd, bytes, offset, Math.min(length, POLLED_WRITE)) : -NativeIo.EAGAIN;
        }, NativeIo.POLLOUT, "write");
    }

    /**
     * Runs {@code call} until it does not ask to wait, parking in between until the descriptor may be ready for
     * {@code events}.
     *
     * @return what {@code call} returned last, never negative
     * @throws IOException if the call failed, the descriptor was closed, or the thread was interrupted
     */
    private long transfer(Call call, short events, String what) throws IOException {
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
