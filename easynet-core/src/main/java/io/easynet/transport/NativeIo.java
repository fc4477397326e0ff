package io.easynet.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few POSIX calls that a descriptor stream needs to wait for a descriptor without blocking a thread in the
 * kernel ({@code fcntl}, {@code read}, {@code write}, {@code poll}, {@code pipe}), made through the JDK's foreign
 * function API: the JDK has no public way to read a descriptor it did not open without blocking the calling thread.
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

    private static final int O_NONBLOCK = isMac() ? 0x4 : 0x800;

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

    /** Puts descriptor {@code fd} in non-blocking mode, so that a read or write with nothing to do fails instead. */
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
     * Reads into {@code bytes} from a non-blocking descriptor, at most 64 KiB.
     *
     * @return the bytes read (0 at the end of the stream), or minus the {@code errno} of a failed call
     */
    static long read(int fd, byte[] bytes, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int chunk = Math.min(length, MAX_CHUNK);
            MemorySegment buffer = arena.allocate(chunk);
            long read = (long) READ.invokeExact(state, fd, buffer, (long) chunk);
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

    /**
     * Writes {@code bytes}, or their first 64 KiB, to a non-blocking descriptor.
     *
     * @return the bytes written, or minus the {@code errno} of a failed call
     */
    static long write(int fd, byte[] bytes, int offset, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int chunk = Math.min(length, MAX_CHUNK);
            MemorySegment buffer = arena.allocate(chunk);
            MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
            long written = (long) WRITE.invokeExact(state, fd, buffer, (long) chunk);
            return written < 0 ? -errno(state) : written;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until one of {@code count} {@code struct pollfd} in {@code fds} is ready, with no time limit.
     *
     * @return how many are ready, or minus the {@code errno} of a failed call
     */
    static int poll(MemorySegment fds, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ready = isMac() ? (int) POLL.invokeExact(state, fds, count, -1)
                    : (int) POLL.invokeExact(state, fds, (long) count, -1);
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
