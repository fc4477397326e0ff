package io.easynet.internal.util;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Waits that an interrupt does not cut short: stopping a server or a watcher must see its threads end even when the
 * stopping thread is interrupted. The interrupt is kept, set again when the wait is over, for the caller to act on.
 */
public final class Uninterruptibles {

    private Uninterruptibles() {
    }

    /**
     * Waits until the thread has ended.
     *
     * @param thread the thread to wait for
     */
    public static void join(Thread thread) {
        joinAll(List.of(thread), Long.MAX_VALUE);
    }

    /**
     * Waits until every thread has ended or the deadline has passed.
     *
     * @param threads the threads to wait for
     * @param deadline when to give up, on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} for never
     * @return whether every thread ended
     */
    public static boolean joinAll(Iterable<Thread> threads, long deadline) {
        boolean interrupted = false;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    try {
                        if (deadline == Long.MAX_VALUE) {
                            thread.join();
                            continue;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        thread.join(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until the latch has counted down.
     *
     * @param latch the latch to wait on
     */
    public static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
