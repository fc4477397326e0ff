package io.easynet.micrometer;

import io.easynet.server.AttributeKey;
import io.easynet.server.ServerListener;
import io.easynet.server.StreamClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes each connection an {@code easynet.unix.connection} observation and each request an
 * {@code easynet.unix.request} observation within it, so that a tracer bridge shows requests as spans inside their
 * connection's span, and Micrometer's meter handler times both.
 *
 * <pre>{@code
 * server.addListener(new ServerObservationListener(observationRegistry, "echo"));
 * }</pre>
 *
 * <p>A connection is observed from {@code clientConnected} to {@code clientDisconnected}, a request from the moment
 * it is handed to the handler until the handler asks for the next one (or the session ends); a handler failure is
 * the error of both. On the client's thread the observations are also opened in scope, the request's inside the
 * connection's, so code the handler calls sees them as current; on other threads (a handler that receives
 * elsewhere) they are only started and stopped. With a registry that observes nothing, nothing is kept per client.
 */
public final class ServerObservationListener implements ServerListener {

    private final ObservationRegistry registry;

    private final String serverName;

    private final @Nullable UnixConnectionObservationConvention connectionConvention;

    private final @Nullable UnixRequestObservationConvention requestConvention;

    /** Per listener, so two listeners on one server keep their observations apart. */
    private final AttributeKey<Observed> observedKey = AttributeKey.of("easynet.unix.connection observation",
            Observed.class);

    /**
     * Observes with the default conventions, unless the registry has global ones for these contexts.
     *
     * @param registry where observations go
     * @param serverName the name the observations give the server, their {@code server} key value
     */
    public ServerObservationListener(ObservationRegistry registry, String serverName) {
        this(registry, serverName, null, null);
    }

    /**
     * Observes with custom conventions.
     *
     * @param registry where observations go
     * @param serverName the name the observations give the server
     * @param connectionConvention names and key values of connection observations, or {@code null} for the
     *     default (or the registry's global convention)
     * @param requestConvention names and key values of request observations, or {@code null} likewise
     */
    public ServerObservationListener(ObservationRegistry registry, String serverName,
            @Nullable UnixConnectionObservationConvention connectionConvention,
            @Nullable UnixRequestObservationConvention requestConvention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.connectionConvention = connectionConvention;
        this.requestConvention = requestConvention;
    }

    @Override
    public void clientConnected(StreamClient<?> client) {
        var context = new UnixConnectionContext(serverName, client);
        Observation connection = Observation.createNotStarted(connectionConvention,
                DefaultUnixConnectionObservationConvention.INSTANCE, () -> context, registry);
        if (connection.isNoop()) {
            return;
        }
        connection.start();
        // clientConnected runs on the client's thread, which serves the connection until clientDisconnected
        client.attributes().set(observedKey, new Observed(context, connection, Thread.currentThread(),
                connection.openScope()));
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        Observed observed = client.attributes().get(observedKey);
        if (observed == null) {
            return;
        }
        var context = new UnixRequestContext(serverName, client);
        Observation request = Observation.createNotStarted(requestConvention,
                DefaultUnixRequestObservationConvention.INSTANCE, () -> context, registry)
                .parentObservation(observed.connection).start();
        observed.requestScope = observed.onClientThread() ? request.openScope() : null;
        observed.request = request;
    }

    @Override
    public void requestCompleted(StreamClient<?> client, long durationNanos) {
        Observed observed = client.attributes().get(observedKey);
        Observation request = observed == null ? null : observed.request;
        if (observed == null || request == null) {
            return;
        }
        observed.request = null;
        Observation.Scope scope = observed.requestScope;
        if (scope != null && observed.onClientThread()) {
            observed.requestScope = null;
            scope.close();
        }
        request.stop();
    }

    @Override
    public void handlerFailed(StreamClient<?> client, Throwable error) {
        Observed observed = client.attributes().get(observedKey);
        if (observed == null) {
            return;
        }
        Observation request = observed.request;
        if (request != null) {
            request.error(error);
        }
        observed.connection.error(error);
    }

    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        Observed observed = client.attributes().remove(observedKey);
        if (observed == null) {
            return;
        }
        observed.context.setDisconnectReason(reason);
        if (observed.onClientThread()) {
            observed.connectionScope.close();
        }
        observed.connection.stop();
    }

    @Override
    public String toString() {
        return "ServerObservationListener[" + serverName + "]";
    }

    /** One connection's observations, kept in its client's attributes while it lasts. */
    private static final class Observed {

        final UnixConnectionContext context;

        final Observation connection;

        final Thread clientThread;

        final Observation.Scope connectionScope;

        /** The request the handler is serving, if any. */
        volatile @Nullable Observation request;

        /** Its scope, when it was opened on the client's thread and is still open. */
        volatile Observation.@Nullable Scope requestScope;

        Observed(UnixConnectionContext context, Observation connection, Thread clientThread,
                Observation.Scope connectionScope) {
            this.context = context;
            this.connection = connection;
            this.clientThread = clientThread;
            this.connectionScope = connectionScope;
        }

        boolean onClientThread() {
            return Thread.currentThread() == clientThread;
        }
    }
}
