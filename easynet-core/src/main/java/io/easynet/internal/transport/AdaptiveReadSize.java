package io.easynet.internal.transport;

/**
 * How many bytes the next read of a connection asks for, adapted to what its reads return, as Netty's
 * {@code AdaptiveRecvByteBufAllocator} does: it starts small, jumps up eightfold when a read fills what it asked
 * for, and halves after two reads in a row that would have fitted in half with room to spare. A connection's
 * receive buffer is sized by it, so an idle connection, parked in a read, holds a small buffer rather than the most
 * one read may ask for. Not thread-safe: one per connection, used by its receiving thread.
 */
final class AdaptiveReadSize {

    /** The least a read asks for: below this, a smaller buffer saves less than its object headers cost. */
    static final int MINIMUM = 64;

    /** What the first read asks for: most requests of a request/response protocol fit in one such read. */
    static final int INITIAL = 1024;

    private static final int GROWTH = 8;

    private final int minimum;

    private final int maximum;

    private int size;

    /** Whether the last read was less than half the size, so that one more such read halves it. */
    private boolean smallBefore;

    /** Sizes between {@link #MINIMUM} and {@code maximum}, the most one read asks for, starting at {@link #INITIAL}. */
    AdaptiveReadSize(int maximum) {
        if (maximum <= 0) {
            throw new IllegalArgumentException("maximum must be positive, got " + maximum);
        }
        this.maximum = maximum;
        this.minimum = Math.min(MINIMUM, maximum);
        this.size = Math.min(INITIAL, maximum);
    }

    /** How many bytes the next read should ask for. */
    int next() {
        return size;
    }

    /**
     * Adapts to a read that asked for {@code asked} bytes and got {@code count}. A read may ask for less than
     * {@link #next()} when its buffer has less room: filling more than half the size still says more is waiting,
     * filling a smaller ask says nothing about the traffic.
     */
    void record(int asked, int count) {
        if (count >= asked) {
            if (asked > size / 2) {
                size = (int) Math.min(maximum, (long) size * GROWTH);
                smallBefore = false;
            }
        } else if (count < size / 2 && size > minimum) {
            // strictly less: a read of exactly half would fill the halved size and jump back up, reallocating the
            // buffer every few packets of a steady stream
            if (smallBefore) {
                size = Math.max(minimum, size / 2);
            }
            smallBefore = !smallBefore;
        } else {
            smallBefore = false;
        }
    }
}
