package io.easynet.demo;

import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.stereotype.Component;

/**
 * The platform threads the {@code fd} server hashes on, half the CPUs (at least one). Hashing never blocks, so on a
 * virtual thread it would hold its carrier until done, and the JVM has one carrier per CPU for every virtual thread of
 * every server: two clients asking for large digests on a 2-core machine stalled echo and counter for as long as
 * they kept asking. Here the operating system shares the CPUs between hashing and the carriers instead, and digests
 * never take more than half of them.
 */
@Component
class DigestThreads implements AutoCloseable {

    /** How many threads hash at once. */
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().name("easynet-demo-digest-", 1).daemon().factory());

    /**
     * Adds {@code length} bytes of {@code bytes} to {@code digest} on one of these threads, the caller (a virtual
     * thread) parking meanwhile. Requests take turns chunk by chunk, first come first served.
     *
     * @throws InterruptedIOException if the caller is interrupted while it waits
     */
    void update(MessageDigest digest, byte[] bytes, int length) throws InterruptedIOException {
        try {
            threads.submit(() -> digest.update(bytes, 0, length)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing a digest");
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
    }

    /** Stops the threads with the context. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
