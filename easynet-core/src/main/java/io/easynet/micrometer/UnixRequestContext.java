package io.easynet.micrometer;

import io.easynet.server.StreamClient;

/** What an {@code easynet.unix.request} observation knows of its request, for conventions and handlers. */
public final class UnixRequestContext extends UnixClientContext {

    /**
     * Creates the context of one request.
     *
     * @param serverName the name of the server, as given to {@link ServerObservationListener}
     * @param client the client that sent the request
     */
    public UnixRequestContext(String serverName, StreamClient<?> client) {
        super(serverName, client);
    }
}
