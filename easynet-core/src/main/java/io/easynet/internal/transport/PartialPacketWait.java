package io.easynet.internal.transport;

/**
 * A packet that has been arriving too slowly: how many of its bytes had arrived, and how long the stream had
 * waited for the rest.
 *
 * @param bytes the bytes of the packet received
 * @param waitedNanos the time spent waiting for the rest, in nanoseconds
 */
public record PartialPacketWait(long bytes, long waitedNanos) {
}
