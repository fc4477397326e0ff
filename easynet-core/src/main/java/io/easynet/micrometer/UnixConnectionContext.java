package io.easynet.micrometer;

import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.server.StreamClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What an {@code easynet.unix.connection} observation knows of its connection, for conventions and handlers. */
public final class UnixConnectionContext extends UnixClientContext {

    private @Nullable DisconnectReason disconnectReason;

    /**
     * Creates the context of one connection.
     *
     * @param serverName the name of the server, as given to {@link ServerObservationListener}
     * @param client the connected client
     */
    public UnixConnectionContext(String serverName, StreamClient<?> client) {
        super(serverName, client);
    }

    /**
     * Why the connection ended, or {@code null} while it lasts.
     *
     * @return why the connection ended, or {@code null} while it is open
     */
    public @Nullable DisconnectReason getDisconnectReason() {
        return disconnectReason;
    }

    /**
     * Records why the connection ended, before the observation stops.
     *
     * @param disconnectReason why the connection ended
     */
    public void setDisconnectReason(DisconnectReason disconnectReason) {
        this.disconnectReason = Objects.requireNonNull(disconnectReason, "disconnectReason");
    }
}
