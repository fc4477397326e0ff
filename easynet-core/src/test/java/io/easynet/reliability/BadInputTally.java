package io.easynet.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures the bad-input suite reports at its end: bad inputs sent over sockets, fuzz inputs decoded, and how
 * often a second client was served after bad input. Printed once, when the suite's last class finishes.
 */
final class BadInputTally {

    static final AtomicLong BAD_INPUTS = new AtomicLong();

    static final AtomicLong FUZZ_INPUTS = new AtomicLong();

    /** Successful request/responses of the well-behaved client made after some bad input. */
    static final AtomicLong SERVED_AFTER_BAD_INPUT = new AtomicLong();

    private static final int SUITE_CLASSES = 2;

    private static final AtomicInteger FINISHED_CLASSES = new AtomicInteger();

    private BadInputTally() {
    }

    /** Called by each class of the suite when it is done; the last one prints the summary line. */
    static void classFinished() {
        if (FINISHED_CLASSES.incrementAndGet() == SUITE_CLASSES) {
            System.out.println(summary());
        }
    }

    static String summary() {
        boolean keptServing = SERVED_AFTER_BAD_INPUT.get() >= BAD_INPUTS.get();
        return "bad inputs tried: " + BAD_INPUTS.get() + ", fuzz inputs: " + FUZZ_INPUTS.get()
                + ", server kept serving: " + (keptServing ? "yes" : "no");
    }
}
