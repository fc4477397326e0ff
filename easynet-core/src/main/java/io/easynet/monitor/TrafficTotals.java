package io.easynet.monitor;

/**
 * What a {@link ConnectionMonitor} counted since its server started, clients that have left included.
 *
 * @param connections the clients accepted
 * @param bytesIn the bytes read from clients
 * @param bytesOut the bytes of the responses written to clients, framing included
 * @param packetsIn the requests decoded
 * @param packetsOut the responses written
 */
public record TrafficTotals(long connections, long bytesIn, long bytesOut, long packetsIn, long packetsOut) {
}
