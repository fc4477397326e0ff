package io.easynet.micrometer;

import io.easynet.server.StreamClient;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * What every observation of a client knows: the server and the client. The base of the connection and request
 * contexts.
 */
public abstract class UnixClientContext extends Observation.Context {

    private final String serverName;

    private final StreamClient<?> client;

    /**
     * Creates the context of an observation of {@code client}.
     *
     * @param serverName the name of the server, as given to {@link ServerObservationListener}
     * @param client the client observed
     */
    protected UnixClientContext(String serverName, StreamClient<?> client) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** {@return the name of the server the client is connected to} */
    public String getServerName() {
        return serverName;
    }

    /** {@return the client observed} */
    public StreamClient<?> getClient() {
        return client;
    }
}
