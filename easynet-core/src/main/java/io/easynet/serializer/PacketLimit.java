package io.easynet.serializer;

/** The check every decoder makes of the packet limit it is created with. */
final class PacketLimit {

    private PacketLimit() {
    }

    /**
     * Returns {@code maxPacketSize} if it is positive.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    static int requirePositive(int maxPacketSize) {
        if (maxPacketSize <= 0) {
            throw new IllegalArgumentException("maxPacketSize must be positive, got " + maxPacketSize);
        }
        return maxPacketSize;
    }
}
