package io.easynet.internal.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few POSIX calls that a descriptor stream needs to wait for a descriptor without blocking a thread in the
 * kernel ({@code fcntl}, {@code open}, {@code read}, {@code write}, {@code recv}, {@code send}, {@code poll},
 * {@code pipe}), made through the JDK's foreign function API: the JDK has no public way to read a descriptor it did
 * not open without blocking the calling thread.
 *
 * <p>The constants are those of Linux and macOS, the systems junixsocket serves Unix sockets on here.
 */
final class NativeIo {

    static final int EINTR = 4;

    static final int EAGAIN = isMac() ? 35 : 11;

    static final short POLLIN = 0x1;

    static final short POLLOUT = 0x4;

    private static final int F_GETFL = 3;

    private static final int F_SETFL = 4;

    private static final int O_ACCMODE = 3;

    private static final int O_RDONLY = 0;

    private static final int O_WRONLY = 1;

    private static final int O_RDWR = 2;

    private static final int O_NONBLOCK = isMac() ? 0x4 : 0x800;

    private static final int O_NOCTTY = isMac() ? 0x20000 : 0x100;

    private static final int O_CLOEXEC = isMac() ? 0x1000000 : 0x80000;

    /** The {@code recv}/{@code send} flag that makes this one call non-blocking. */
    private static final int MSG_DONTWAIT = isMac() ? 0x80 : 0x40;

    private static final Linker LINKER = Linker.nativeLinker();

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO_VALUE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout SIZE_T = ValueLayout.JAVA_LONG;

    /** {@code nfds_t}: an {@code unsigned long} on Linux, an {@code unsigned int} on macOS. */
    private static final ValueLayout NFDS_T = isMac() ? ValueLayout.JAVA_INT : ValueLayout.JAVA_LONG;

    private static final MethodHandle FCNTL = function("fcntl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));

    private static final MethodHandle READ = function("read",
            FunctionDescriptor.of(SIZE_T, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T), ERRNO);

    private static final MethodHandle WRITE = function("write",
            FunctionDescriptor.of(SIZE_T, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T), ERRNO);

    private static final MethodHandle RECV = MethodHandles.insertArguments(function("recv",
            FunctionDescriptor.of(SIZE_T, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, ValueLayout.JAVA_INT),
            ERRNO), 4, MSG_DONTWAIT);

    private static final MethodHandle SEND = MethodHandles.insertArguments(function("send",
            FunctionDescriptor.of(SIZE_T, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, ValueLayout.JAVA_INT),
            ERRNO), 4, MSG_DONTWAIT);

    private static final MethodHandle OPEN = function("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO);

    private static final MethodHandle POLL = function("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, NFDS_T, ValueLayout.JAVA_INT), ERRNO);

    private static final MethodHandle PIPE = function("pipe",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), ERRNO);

    private static final MethodHandle STRERROR = function("strerror",
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(
                    Long.MAX_VALUE, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

    /** The size of one {@code struct pollfd}: an {@code int} descriptor, then two {@code short}s. */
    static final long POLLFD_SIZE = 8;

    /** The most one {@link #read} or {@link #write} call moves, so that its native buffer stays small. */
    private static final int MAX_CHUNK = 64 * 1024;

    private NativeIo() {
    }

    private static boolean isMac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .or(() -> SymbolLookup.loaderLookup().find(name))
                .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /**
     * Puts descriptor {@code fd} in non-blocking mode, so that a read or write with nothing to do fails instead. The
     * mode belongs to the open file: only for descriptors no other process shares.
     */
    static void setNonBlocking(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0);
            if (flags < 0) {
                throw failure("fcntl(F_GETFL) on descriptor " + fd, errno(state));
            }
            if ((flags & O_NONBLOCK) == 0 && (int) FCNTL.invokeExact(state, fd, F_SETFL, flags | O_NONBLOCK) < 0) {
                throw failure("fcntl(F_SETFL, O_NONBLOCK) on descriptor " + fd, errno(state));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@return whether descriptor {@code fd} was opened for writing, or else for reading: whether it can be read
     * with {@code write} false, or written with {@code write} true}
     */
    static boolean isOpenFor(int fd, boolean write) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0);
            if (flags < 0) {
                throw failure("fcntl(F_GETFL) on descriptor " + fd, errno(state));
            }
            int mode = flags & O_ACCMODE;
            return mode == O_RDWR || mode == (write ? O_WRONLY : O_RDONLY);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the file of descriptor {@code fd} again through {@code /proc/self/fd}, non-blocking, for reading or
     * {@code write}: for a pipe, FIFO or terminal this is a new open file of the same pipe or device, whose flags
     * are its own. Linux only; a socket, an {@code eventfd} and other anonymous files cannot be opened again
     * ({@code ENXIO}), nor can a pipe of another user, unless the caller may override file permissions.
     *
     * @return the new descriptor, or minus the {@code errno} of a failed call
     */
    static int reopen(int fd, boolean write) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment path = arena.allocateFrom("/proc/self/fd/" + fd);
            int flags = (write ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
            int reopened = (int) OPEN.invokeExact(state, path, flags);
            return reopened < 0 ? -errno(state) : reopened;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads into {@code bytes} from descriptor {@code fd}, at most 64 KiB, with {@code read(2)}: it waits if the
     * descriptor is blocking and has nothing to read.
     *
     * @return the bytes read (0 at the end of the stream), or minus the {@code errno} of a failed call
     */
    static long read(int fd, byte[] bytes, int offset, int length) {
        return into(READ, fd, bytes, offset, length);
    }

    /**
     * Receives into {@code bytes} from socket {@code fd}, at most 64 KiB, with {@code recv(2)} and
     * {@code MSG_DONTWAIT}: never waits, whatever the socket's mode.
     *
     * @return the bytes received (0 at the end of the stream), or minus the {@code errno} of a failed call
     */
    static long receive(int fd, byte[] bytes, int offset, int length) {
        return into(RECV, fd, bytes, offset, length);
    }

    /**
     * Writes {@code bytes}, or their first 64 KiB, to descriptor {@code fd} with {@code write(2)}: it waits if the
     * descriptor is blocking and has no room.
     *
     * @return the bytes written, or minus the {@code errno} of a failed call
     */
    static long write(int fd, byte[] bytes, int offset, int length) {
        return from(WRITE, fd, bytes, offset, length);
    }

    /**
     * Sends {@code bytes}, or their first 64 KiB, to socket {@code fd} with {@code send(2)} and
     * {@code MSG_DONTWAIT}: never waits, whatever the socket's mode.
     *
     * @return the bytes sent, or minus the {@code errno} of a failed call
     */
    static long send(int fd, byte[] bytes, int offset, int length) {
        return from(SEND, fd, bytes, offset, length);
    }

    /** {@return whether descriptor {@code fd} is ready for {@code events}, has hung up or failed, now} */
    static boolean isReady(int fd, short events) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollFd = arena.allocate(POLLFD_SIZE);
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, events);
            return poll(pollFd, 1, 0) > 0;
        }
    }

    /** One {@code read}-like call of {@code function} ({@code fd}, buffer, size). */
    private static long into(MethodHandle function, int fd, byte[] bytes, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int chunk = Math.min(length, MAX_CHUNK);
            MemorySegment buffer = arena.allocate(chunk);
            long read = (long) function.invokeExact(state, fd, buffer, (long) chunk);
            if (read < 0) {
                return -errno(state);
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, offset, (int) read);
            return read;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** One {@code write}-like call of {@code function} ({@code fd}, buffer, size). */
    private static long from(MethodHandle function, int fd, byte[] bytes, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int chunk = Math.min(length, MAX_CHUNK);
            MemorySegment buffer = arena.allocate(chunk);
            MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
            long written = (long) function.invokeExact(state, fd, buffer, (long) chunk);
            return written < 0 ? -errno(state) : written;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until one of {@code count} {@code struct pollfd} in {@code fds} is ready, at most {@code timeout}
     * milliseconds (-1: with no time limit).
     *
     * @return how many are ready, or minus the {@code errno} of a failed call
     */
    static int poll(MemorySegment fds, int count, int timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ready = isMac() ? (int) POLL.invokeExact(state, fds, count, timeout)
                    : (int) POLL.invokeExact(state, fds, (long) count, timeout);
            return ready < 0 ? -errno(state) : ready;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a new pipe: its read end, then its write end} */
    static int[] pipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            if ((int) PIPE.invokeExact(state, ends) < 0) {
                throw failure("pipe()", errno(state));
            }
            return ends.toArray(ValueLayout.JAVA_INT);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return an exception saying that {@code call} failed, and why} */
    static IOException failure(String call, int errno) {
        return new IOException(call + " failed: " + describe(errno) + " (errno " + errno + ")");
    }

    private static String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }
}
