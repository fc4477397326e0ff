package io.easynet.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A wait an interrupt does not cut short, which sets the interrupt again once the wait is over. */
@Timeout(30)
class UninterruptiblesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void joinWaitsForTheThreadThroughInterruptsAndKeepsTheInterrupt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(() -> awaitQuietly(release));
        AtomicBoolean workerEndedFirst = new AtomicBoolean();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread joiner = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            Uninterruptibles.join(worker);
            workerEndedFirst.set(!worker.isAlive());
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        await().atMost(TIMEOUT).until(() -> joiner.getState() == Thread.State.WAITING);
        joiner.interrupt();
        await().atMost(TIMEOUT).until(() -> joiner.getState() == Thread.State.WAITING);
        assertThat(joiner.isAlive()).isTrue();

        release.countDown();
        joiner.join();
        assertThat(workerEndedFirst).isTrue();
        assertThat(interruptKept).isTrue();
    }

    @Test
    void joinAllGivesUpAtTheDeadlineAndSaysSo() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread ended = Thread.ofPlatform().start(() -> { });
        Thread stuck = Thread.ofPlatform().start(() -> awaitQuietly(release));
        try {
            assertThat(Uninterruptibles.joinAll(List.of(ended, stuck), System.nanoTime())).isFalse();
            release.countDown();
            assertThat(Uninterruptibles.joinAll(List.of(ended, stuck), Long.MAX_VALUE)).isTrue();
        } finally {
            release.countDown();
            stuck.join();
        }
    }

    @Test
    void awaitWaitsForTheLatchThroughAnInterruptAndKeepsIt() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            Uninterruptibles.await(latch);
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        await().atMost(TIMEOUT).until(() -> waiter.getState() == Thread.State.WAITING);
        assertThat(latch.getCount()).isOne();

        latch.countDown();
        waiter.join();
        assertThat(interruptKept).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError("the worker is not interrupted in these tests", e);
        }
    }
}
