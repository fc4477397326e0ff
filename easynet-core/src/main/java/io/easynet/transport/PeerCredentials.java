package io.easynet.transport;

/**
 * Who is on the other end of a connection, as the kernel recorded it when the connection was made
 * ({@code SO_PEERCRED}): for an accepted connection the connecting process, for a client the process that listened.
 *
 * @param pid the peer's process id
 * @param uid the peer's user id, as the kernel's unsigned 32-bit value ({@link Integer#toUnsignedLong} for ids
 *     above {@link Integer#MAX_VALUE})
 * @param gid the peer's group id, unsigned in the same way
 */
public record PeerCredentials(long pid, int uid, int gid) {
}
