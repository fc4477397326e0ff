package io.easynet.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ConnectionMonitor} knows about one connected client, as of when it was asked.
 *
 * @param id the client's id within its server, such as {@code client#42}
 * @param peer who is at the other end: the peer's socket path if it bound one, else {@code unnamed} with the user
 *     and group the kernel reports for the peer process when the transport tells them, such as
 *     {@code unnamed (user www-data, group www-data)}
 * @param connectedSince when the server accepted the client
 * @param lastActivity when bytes last arrived from the client or a response last went out to it; when it
 *     connected if neither happened yet
 * @param bytesIn the bytes read from the client
 * @param bytesOut the bytes of the responses written to the client, framing included
 * @param packetsIn the requests decoded from the client
 * @param packetsOut the responses written to the client
 */
public record ClientActivity(String id, String peer, Instant connectedSince, Instant lastActivity, long bytesIn,
        long bytesOut, long packetsIn, long packetsOut) {

    /** Checks that no field is missing. */
    public ClientActivity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(lastActivity, "lastActivity");
    }
}
