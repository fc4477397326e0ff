package io.easynet.internal.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks threads until a non-blocking descriptor received from a peer (a pipe, a socket, a terminal...) is ready, one
 * platform thread polling for all of them: a virtual thread that waited in {@code read(2)} instead would hold its
 * carrier thread, and as many such reads as there are carriers stop every virtual thread of the JVM.
 *
 * <p>The JDK's own poller watches only the JDK's channels, and junixsocket's only junixsocket's, so descriptors of
 * any other kind wait here.
 */
final class DescriptorPoller {

    private static final Logger logger = LoggerFactory.getLogger(DescriptorPoller.class);

    private static final ReentrantLock STARTING = new ReentrantLock();

    private static @Nullable DescriptorPoller instance;

    private final ReentrantLock lock = new ReentrantLock();

    /** The threads waiting, guarded by {@link #lock}; the poller removes the ones it releases. */
    private final List<Waiter> waiting = new ArrayList<>();

    private final int wakeRead;

    private final int wakeWrite;

    private volatile @Nullable Throwable failure;

    private DescriptorPoller(int[] wakePipe) {
        this.wakeRead = wakePipe[0];
        this.wakeWrite = wakePipe[1];
    }

    /** The poller, started on first use. */
    static DescriptorPoller get() throws IOException {
        STARTING.lock();
        try {
            if (instance == null) {
                int[] wakePipe = NativeIo.pipe();
                NativeIo.setNonBlocking(wakePipe[0]);
                NativeIo.setNonBlocking(wakePipe[1]);
                DescriptorPoller poller = new DescriptorPoller(wakePipe);
                Thread.ofPlatform().daemon().name("easynet-descriptor-poller").start(poller::run);
                instance = poller;
            }
            return instance;
        } finally {
            STARTING.unlock();
        }
    }

    /**
     * Parks the calling thread until descriptor {@code fd} may be ready for {@code events} ({@link NativeIo#POLLIN}
     * or {@link NativeIo#POLLOUT}), has hung up or failed, or {@link #releaseAll} is called for it; the caller
     * retries its operation, which may still find nothing to do. {@code closed} is checked once the wait is
     * registered: a descriptor closed before then, whose {@link #releaseAll} came too early, is not waited on.
     *
     * @throws InterruptedIOException if the thread is interrupted while it waits; its interrupt status stays set
     */
    void await(int fd, short events, BooleanSupplier closed) throws IOException {
        Waiter waiter = new Waiter(Thread.currentThread(), fd, events);
        lock.lock();
        try {
            waiting.add(waiter);
        } finally {
            lock.unlock();
        }
        if (closed.getAsBoolean()) {
            remove(waiter);
            return;
        }
        wake();
        try {
            while (!waiter.released && failure == null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for descriptor " + fd);
                }
                LockSupport.park(this);
            }
        } finally {
            remove(waiter);
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new IOException("the descriptor poller thread failed", failed);
        }
    }

    /**
     * Releases every thread waiting on {@code fd}, which is about to be closed: they retry, and find it closed.
     */
    void releaseAll(int fd) {
        lock.lock();
        try {
            waiting.removeIf(waiter -> waiter.fd == fd && waiter.release());
        } finally {
            lock.unlock();
        }
        wake();
    }

    private void remove(Waiter waiter) {
        lock.lock();
        try {
            waiting.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        // A full wake pipe (EAGAIN) already holds a wake-up the poller has yet to read.
        NativeIo.write(wakeWrite, new byte[1], 0, 1);
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(NativeIo.POLLFD_SIZE * 64);
            byte[] drain = new byte[256];
            while (true) {
                Waiter[] polled;
                lock.lock();
                try {
                    polled = waiting.toArray(Waiter[]::new);
                } finally {
                    lock.unlock();
                }
                if (fds.byteSize() < NativeIo.POLLFD_SIZE * (polled.length + 1)) {
                    fds = arena.allocate(NativeIo.POLLFD_SIZE * Math.max(2L * polled.length, 64));
                }
                setPollFd(fds, 0, wakeRead, NativeIo.POLLIN);
                for (int i = 0; i < polled.length; i++) {
                    setPollFd(fds, i + 1, polled[i].fd, polled[i].events);
                }
                int ready = NativeIo.poll(fds, polled.length + 1, -1);
                if (ready == -NativeIo.EINTR) {
                    continue;
                }
                if (ready < 0) {
                    throw NativeIo.failure("poll()", -ready);
                }
                if (revents(fds, 0) != 0) {
                    while (NativeIo.read(wakeRead, drain, 0, drain.length) > 0) {
                        // every wake-up so far is seen by this round
                    }
                }
                releaseReady(fds, polled);
            }
        } catch (Throwable e) {
            failure = e;
            logger.error("The descriptor poller failed; reads and writes waiting on received descriptors fail "
                    + "with it", e);
            lock.lock();
            try {
                waiting.forEach(Waiter::release);
                waiting.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Releases the waiters whose descriptor is ready, hung up, failed or closed ({@code POLLNVAL}). */
    private void releaseReady(MemorySegment fds, Waiter[] polled) {
        lock.lock();
        try {
            for (int i = 0; i < polled.length; i++) {
                if (revents(fds, i + 1) != 0) {
                    polled[i].release();
                    waiting.remove(polled[i]);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void setPollFd(MemorySegment fds, int index, int fd, short events) {
        long at = index * NativeIo.POLLFD_SIZE;
        fds.set(ValueLayout.JAVA_INT, at, fd);
        fds.set(ValueLayout.JAVA_SHORT, at + 4, events);
        fds.set(ValueLayout.JAVA_SHORT, at + 6, (short) 0);
    }

    private static short revents(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, index * NativeIo.POLLFD_SIZE + 6);
    }

    /** A thread waiting for one kind of readiness on one descriptor. */
    private static final class Waiter {

        private final Thread thread;

        private final int fd;

        private final short events;

        private volatile boolean released;

        Waiter(Thread thread, int fd, short events) {
            this.thread = thread;
            this.fd = fd;
            this.events = events;
        }

        /** Wakes the thread; always {@code true}, for {@code removeIf}. */
        boolean release() {
            released = true;
            LockSupport.unpark(thread);
            return true;
        }
    }
}
