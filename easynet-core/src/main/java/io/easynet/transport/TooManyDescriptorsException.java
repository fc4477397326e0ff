package io.easynet.transport;

import java.io.IOException;
import java.io.Serial;

/**
 * A peer sent more file descriptors than a connection may hold while they wait for the packet they came with. The
 * stream closes every one of them, and the connection too: the packet they belong to cannot be served without them,
 * and a peer that piles up descriptors without completing packets would otherwise exhaust the process's.
 */
public final class TooManyDescriptorsException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** How many descriptors the connection held, counting those that broke the limit. */
    private final int held;

    /** The most it may hold. */
    private final int maxDescriptors;

    /**
     * Reports that {@code held} descriptors waited on the connection to {@code description}, more than
     * {@code maxDescriptors}.
     *
     * @param description who sent them, such as {@code client#3 on /run/app.sock}
     * @param held how many descriptors the connection held, counting those that broke the limit
     * @param maxDescriptors the most it may hold
     */
    public TooManyDescriptorsException(String description, int held, int maxDescriptors) {
        super(description + " sent " + held + " file descriptors that wait for the packet they came with, more than "
                + "the " + maxDescriptors + " a connection may hold (maxDescriptors); closed them and the connection");
        this.held = held;
        this.maxDescriptors = maxDescriptors;
    }

    /** {@return how many descriptors the connection held, counting those that broke the limit} */
    public int held() {
        return held;
    }

    /** {@return the most descriptors the connection may hold} */
    public int maxDescriptors() {
        return maxDescriptors;
    }
}
