package io.easynet.micrometer;

import io.easynet.server.AttributeKey;
import io.easynet.server.ServerListener;
import io.easynet.server.StreamClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Makes each connection an {@code easynet.unix.connection} observation and each request an
 * {@code easynet.unix.request} observation, so that a tracer bridge shows them as spans and Micrometer's meter
 * handler times both.
 *
 * <pre>{@code
 * server.addListener(new ServerObservationListener(observationRegistry, "echo"));
 * }</pre>
 *
 * <p>A connection is observed from {@code clientConnected} to {@code clientDisconnected}, a request from the moment
 * it is handed to the handler until the handler asks for the next one (or the session ends); a handler failure is
 * the error of both. A request is not a child of its connection: a connection may last for hours, and a trace per
 * connection holding every request would grow as long; each request starts its own trace (or joins the observation
 * current where it is received), and the {@code client.id} key value links it to its connection. Requests are
 * observed even when the connection observation is turned off (by an {@code ObservationPredicate}). On the client's
 * thread the request's observation is opened in scope, so code the handler calls sees it as current; received on
 * another thread, it is only started and stopped. With a registry that observes nothing, nothing is kept per
 * client.
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
        if (registry.isNoop()) {
            return;
        }
        var context = new UnixConnectionContext(serverName, client);
        Observation connection = Observation.createNotStarted(connectionConvention,
                DefaultUnixConnectionObservationConvention.INSTANCE, () -> context, registry).start();
        // clientConnected runs on the client's thread, which serves the connection until clientDisconnected
        client.attributes().set(observedKey, new Observed(context, connection, Thread.currentThread()));
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        Observed observed = client.attributes().get(observedKey);
        if (observed == null) {
            return;
        }
        // none unless the server broke its promise to complete a request before handing out the next
        observed.endRequest(observed.request.getAndSet(null));
        boolean onClientThread = observed.onClientThread();
        if (onClientThread) {
            // a scope still open here would make the new request its observation's child
            observed.closeStrayScope();
        }
        var context = new UnixRequestContext(serverName, client);
        Observation request = Observation.createNotStarted(requestConvention,
                DefaultUnixRequestObservationConvention.INSTANCE, () -> context, registry).start();
        observed.request.set(new Request(request, onClientThread ? request.openScope() : null));
    }

    @Override
    public void requestCompleted(StreamClient<?> client, long durationNanos) {
        Observed observed = client.attributes().get(observedKey);
        if (observed != null) {
            observed.endRequest(observed.request.getAndSet(null));
        }
    }

    @Override
    public void handlerFailed(StreamClient<?> client, Throwable error) {
        Observed observed = client.attributes().get(observedKey);
        if (observed == null) {
            return;
        }
        Request request = observed.request.get();
        if (request != null) {
            request.observation.error(error);
        }
        observed.connection.error(error);
    }

    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        Observed observed = client.attributes().remove(observedKey);
        if (observed == null) {
            return;
        }
        // the server has completed the last request by now; this only guards against a leak
        observed.endRequest(observed.request.getAndSet(null));
        observed.closeStrayScope();
        observed.context.setDisconnectReason(reason);
        observed.connection.stop();
    }

    @Override
    public String toString() {
        return "ServerObservationListener[" + serverName + "]";
    }

    /** The request the handler is serving, with its scope if it was received on the client's thread. */
    private record Request(Observation observation, Observation.@Nullable Scope scope) {
    }

    /** One connection's observations, kept in its client's attributes while it lasts. */
    private static final class Observed {

        final UnixConnectionContext context;

        final Observation connection;

        final Thread clientThread;

        /** The request the handler is serving, taken by whoever ends it so that it is stopped once. */
        final AtomicReference<@Nullable Request> request = new AtomicReference<>();

        /**
         * The scope of a request that ended on another thread: a scope belongs to the thread that opened it, so it
         * waits here until the client's thread comes by.
         */
        final AtomicReference<Observation.@Nullable Scope> strayScope = new AtomicReference<>();

        Observed(UnixConnectionContext context, Observation connection, Thread clientThread) {
            this.context = context;
            this.connection = connection;
            this.clientThread = clientThread;
        }

        boolean onClientThread() {
            return Thread.currentThread() == clientThread;
        }

        /** Closes the request's scope (or leaves it for the client's thread) and stops the request, if given one. */
        void endRequest(@Nullable Request ended) {
            if (ended == null) {
                return;
            }
            Observation.Scope scope = ended.scope();
            if (scope != null && onClientThread()) {
                scope.close();
            } else if (scope != null) {
                strayScope.set(scope);
            }
            ended.observation().stop();
        }

        /** Closes the scope a request left open on the client's thread; called on that thread. */
        void closeStrayScope() {
            Observation.Scope scope = strayScope.getAndSet(null);
            if (scope != null) {
                scope.close();
            }
        }
    }
}
