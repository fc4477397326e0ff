package io.easynet.micrometer;

import io.easynet.server.StreamClient;
import io.micrometer.observation.Observation;
import java.util.Objects;

/** What an {@code easynet.unix.request} observation knows of its request, for conventions and handlers. */
public final class UnixRequestContext extends Observation.Context {

    private final String serverName;

    private final StreamClient<?> client;

    /**
     * Creates the context of one request.
     *
     * @param serverName the name of the server, as given to {@link ServerObservationListener}
     * @param client the client that sent the request
     */
    public UnixRequestContext(String serverName, StreamClient<?> client) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The name of the server the request was sent to. */
    public String getServerName() {
        return serverName;
    }

    /** The client that sent the request. */
    public StreamClient<?> getClient() {
        return client;
    }
}
