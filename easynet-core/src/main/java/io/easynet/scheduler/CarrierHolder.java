package io.easynet.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * A virtual thread that was mounted on a carrier thread while the scheduler was stalled, with the stack it was
 * running: the code that holds the carrier.
 *
 * @param thread the virtual thread's name, or {@code #<id>} when it has none
 * @param threadId the virtual thread's id
 * @param carrier the carrier thread's name, such as {@code ForkJoinPool-1-worker-1}
 * @param stack the virtual thread's frames, innermost first, as {@link StackTraceElement#toString()} writes them
 */
public record CarrierHolder(String thread, long threadId, String carrier, List<String> stack) {

    /** Copies the stack. */
    public CarrierHolder {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(carrier, "carrier");
        stack = List.copyOf(stack);
    }
}
