package io.easynet.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks threads until a non-blocking junixsocket channel is ready, one platform thread polling for all of them: the
 * JDK does the same for its own channels, but its poller cannot watch junixsocket's.
 *
 * <p>junixsocket 2.11.1's own blocking mode does not work on virtual threads: a channel read waits for the wrong
 * readiness ({@code OP_WRITE}), so an idle reader spins a CPU; a stream read polls on a pool as large as the CPU
 * count, so one more idle reader than there are CPUs leaves the next ones starving even when their bytes arrive.
 * Our channels therefore stay non-blocking and wait here.
 *
 * <p>junixsocket's selector reports a hang-up or error ({@code POLLHUP}, {@code POLLERR}, {@code POLLNVAL}) by
 * invalidating the channel's key, whatever operations it is interested in, and the next select drops that key
 * without closing the channel, which still hands the dead key out from {@code keyFor}. A Unix socket hangs up as
 * soon as it is shut down both ways, by its own {@code shutdownOutput} and the peer's, while bytes and the end of
 * stream may still wait to be read. After a hang-up no read or write waits any more, so an invalid key releases
 * every thread waiting on its channel to retry, and is cancelled so that a later wait registers a fresh one.
 */
final class ReadinessPoller {

    private static final Logger logger = LoggerFactory.getLogger(ReadinessPoller.class);

    private static final ReentrantLock STARTING = new ReentrantLock();

    private static @Nullable ReadinessPoller instance;

    private final Selector selector;

    /** Work for the poller thread; the selector's keys and {@link #waiting} are touched by it alone. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final Map<SelectableChannel, List<Waiter>> waiting = new IdentityHashMap<>();

    private volatile @Nullable Throwable failure;

    private ReadinessPoller(Selector selector) {
        this.selector = selector;
    }

    /** The poller, started on first use. */
    static ReadinessPoller get() throws IOException {
        STARTING.lock();
        try {
            if (instance == null) {
                ReadinessPoller poller = new ReadinessPoller(AFUNIXSelectorProvider.provider().openSelector());
                Thread.ofPlatform().daemon().name("easynet-junixsocket-poller").start(poller::run);
                instance = poller;
            }
            return instance;
        } finally {
            STARTING.unlock();
        }
    }

    /**
     * Blocks until {@code channel} may be ready for {@code op} (a {@link SelectionKey} operation) or is closed;
     * the caller retries its operation, which may still find nothing to do. Interrupting the waiting thread closes
     * {@code owner}, as the JDK closes its interruptible channels.
     */
    void await(SelectableChannel channel, int op, Closeable owner) throws IOException {
        Waiter waiter = new Waiter(Thread.currentThread(), op);
        submit(() -> enlist(channel, waiter));
        while (!waiter.released && failure == null) {
            if (Thread.currentThread().isInterrupted()) {
                owner.close();
                throw new ClosedByInterruptException();
            }
            LockSupport.park(this);
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new IOException("the junixsocket poller thread failed", failed);
        }
    }

    /**
     * Releases every thread waiting on {@code channel}, which has been closed or shut down. Call it after the close,
     * never before: a thread released while the channel is still open retries, may wait again, and the close alone
     * never releases it, since junixsocket neither wakes its selector nor reports a closed channel's key.
     */
    void wakeAll(SelectableChannel channel) {
        submit(() -> releaseAll(channel));
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        try {
            while (true) {
                selector.select();
                for (Runnable task; (task = tasks.poll()) != null;) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    dispatch(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (Throwable e) {
            // Set first: a waiter that enlists after the drain below sees it before it parks.
            failure = e;
            logger.error("The junixsocket poller failed; waiting reads and writes fail with it", e);
            waiting.values().forEach(waiters -> waiters.forEach(Waiter::release));
            waiting.clear();
            for (Runnable task; (task = tasks.poll()) != null;) {
                task.run();
            }
        }
    }

    private void enlist(SelectableChannel channel, Waiter waiter) {
        if (failure != null || !channel.isOpen()) {
            waiter.release();
            return;
        }
        try {
            SelectionKey key = channel.keyFor(selector);
            if (key != null && !key.isValid()) {
                // Hung up before this wait began (see above): the operation no longer waits, so let it retry.
                key.cancel();
                waiter.release();
                return;
            }
            if (key == null) {
                key = channel.register(selector, 0);
            }
            key.interestOps(key.interestOps() | waiter.op);
        } catch (ClosedChannelException | CancelledKeyException e) {
            waiter.release();
            return;
        }
        waiting.computeIfAbsent(channel, c -> new ArrayList<>(2)).add(waiter);
    }

    /**
     * Releases the waiters whose operation is ready, and watches for what the others wait for. A key made invalid
     * by a hang-up, an error or a close releases them all, and is cancelled: junixsocket stops polling it.
     */
    private void dispatch(SelectionKey key) {
        List<Waiter> waiters = waiting.get(key.channel());
        try {
            if (!key.isValid()) {
                key.cancel();
                releaseAll(key.channel());
                return;
            }
            if (waiters == null) {
                releaseAll(key.channel());
                return;
            }
            int ready = key.readyOps();
            int stillWanted = 0;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
                Waiter waiter = it.next();
                if ((waiter.op & ready) != 0) {
                    waiter.release();
                    it.remove();
                } else {
                    stillWanted |= waiter.op;
                }
            }
            if (waiters.isEmpty()) {
                waiting.remove(key.channel());
            }
            key.interestOps(stillWanted);
        } catch (CancelledKeyException e) {
            releaseAll(key.channel());
        }
    }

    private void releaseAll(SelectableChannel channel) {
        List<Waiter> waiters = waiting.remove(channel);
        if (waiters != null) {
            waiters.forEach(Waiter::release);
        }
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            try {
                key.interestOps(0);
            } catch (CancelledKeyException e) {
                // closed meanwhile: the selector drops the key itself
            }
        }
    }

    /** A thread waiting for one operation on one channel. */
    private static final class Waiter {

        private final Thread thread;

        private final int op;

        private volatile boolean released;

        Waiter(Thread thread, int op) {
            this.thread = thread;
            this.op = op;
        }

        void release() {
            released = true;
            LockSupport.unpark(thread);
        }
    }
}
