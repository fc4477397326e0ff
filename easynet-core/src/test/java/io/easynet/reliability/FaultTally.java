package io.easynet.reliability;

import java.util.concurrent.atomic.AtomicLong;

/** The figures the fault-injection suite prints at its end. */
final class FaultTally {

    /** Faults injected, each followed by a check that another client is still served. */
    static final AtomicLong FAULTS = new AtomicLong();

    /** Connect/close cycles of the churn run, counted apart from the faults. */
    static final AtomicLong CONNECT_CLOSE_CYCLES = new AtomicLong();

    /** Correct answers a client unaffected by the fault got right after it. */
    static final AtomicLong SERVED_AFTER_FAULT = new AtomicLong();

    /** Requests of unaffected clients left without an answer. */
    static final AtomicLong RESPONSES_LOST = new AtomicLong();

    private FaultTally() {
    }

    static String summary() {
        return "faults injected: " + FAULTS.get() + " (plus " + CONNECT_CLOSE_CYCLES.get()
                + " connect/close cycles), other clients served after each: "
                + (SERVED_AFTER_FAULT.get() >= FAULTS.get() ? "yes" : "no") + ", responses lost: "
                + RESPONSES_LOST.get();
    }
}
