package io.easynet.micrometer;

import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.AttributeKey;
import io.easynet.server.ServerListener;
import io.easynet.server.StreamClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Records what a server does as Micrometer meters named {@code easynet.unix.*}: connections (live, accepted,
 * rejected, closed and why), traffic in bytes and packets, request handling time and the errors handlers see.
 * Clients also get traffic meters of their own ({@code easynet.unix.client.*}, tagged {@code client=<id>}), as
 * {@link PerClientMetrics} allows, which are removed from the registry when the client disconnects.
 *
 * <pre>{@code
 * server.addListener(new ServerMetricsListener(registry, Tags.of("server", "echo")));
 * }</pre>
 *
 * <p>The server's meters are registered here, so they read 0 until traffic comes. Meters are identified by name and
 * tags: use one listener per server and registry, with tags that tell the servers apart (two listeners with the same
 * tags would share counters, but the {@code active} gauge would follow only the first). Add it to every server
 * instance of the same service (such as one after another across restarts) to keep counting on the same meters,
 * with one sequence of client numbers for them all (see {@link AsyncUnixStreamServer}'s constructor taking a
 * {@code LongSupplier}) so that two clients never share per-client meters. The server's meters stay in the registry
 * until {@link #close()}.
 */
public final class ServerMetricsListener implements ServerListener, AutoCloseable {

    /** How many meters each client with meters of its own adds to the registry while it is connected. */
    public static final int METERS_PER_CLIENT = 5;

    private final MeterRegistry registry;

    private final Tags tags;

    private final PerClientMetrics perClient;

    /** Per listener, so two listeners on one server keep their clients' meters apart. */
    private final AttributeKey<Traffic> clientTrafficKey = AttributeKey.of("easynet.unix.client meters",
            Traffic.class);

    private final AtomicInteger activeConnections = new AtomicInteger();

    private final AtomicInteger clientsWithMeters = new AtomicInteger();

    /** The server's meters, in the order registered. */
    private final List<Meter> serverMeters = new ArrayList<>();

    /** The meters of the clients that have them, while they are connected. */
    private final Set<Traffic> clientTraffic = ConcurrentHashMap.newKeySet();

    private final Counter accepted;

    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    private final Map<DisconnectReason, Counter> closed = new EnumMap<>(DisconnectReason.class);

    private final Traffic traffic;

    private final Counter parseErrors;

    private final Counter handlerErrors;

    private final Counter receiveTimeouts;

    private final Map<Limit, Counter> limits = new EnumMap<>(Limit.class);

    /**
     * Registers the server's meters, and keeps per-client meters as {@code perClient} says.
     *
     * @param registry where the meters go
     * @param tags tags of every meter, such as {@code server=<name>}
     * @param perClient whether and for how many clients to keep meters per client
     */
    public ServerMetricsListener(MeterRegistry registry, Iterable<Tag> tags, PerClientMetrics perClient) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.perClient = Objects.requireNonNull(perClient, "perClient");
        serverMeters.add(Gauge.builder("easynet.unix.connections.active", activeConnections, AtomicInteger::get)
                .description("Connections being served").tags(this.tags).register(registry));
        accepted = counter("easynet.unix.connections.accepted", "Connections accepted and served", this.tags);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, counter("easynet.unix.connections.rejected",
                    "Connections accepted and closed at once without being served",
                    this.tags.and("reason", lowerCase(reason))));
        }
        for (DisconnectReason reason : DisconnectReason.values()) {
            closed.put(reason, counter("easynet.unix.connections.closed", "Connections that ended, by why",
                    this.tags.and("reason", lowerCase(reason))));
        }
        traffic = new Traffic(registry, "easynet.unix.", this.tags);
        serverMeters.addAll(traffic.meters);
        parseErrors = counter("easynet.unix.parse.errors",
                "Receives that ended in a bad packet (StreamProtocolParseException)", this.tags);
        handlerErrors = counter("easynet.unix.handler.errors",
                "Handler calls that threw something other than a disconnect", this.tags);
        receiveTimeouts = counter("easynet.unix.receive.timeouts",
                "Timed receives that ran out (SocketTimeoutException)", this.tags);
        for (Limit limit : Limit.values()) {
            limits.put(limit, counter("easynet.unix.limits.reached",
                    "Times the server enforced a limit: refused, dropped or closed something, or left connections "
                            + "in the backlog", this.tags.and("limit", lowerCase(limit).replace('_', '-'))));
        }
    }

    /**
     * Registers the server's meters, with per-client meters for at most {@value PerClientMetrics#DEFAULT_LIMIT} live
     * clients.
     *
     * @param registry where the meters are registered
     * @param tags tags added to every meter, such as the server's name
     */
    public ServerMetricsListener(MeterRegistry registry, Iterable<Tag> tags) {
        this(registry, tags, PerClientMetrics.defaults());
    }

    @Override
    public void connectionRejected(AsyncUnixStreamServer<?, ?> server, RejectReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void limitReached(AsyncUnixStreamServer<?, ?> server, @Nullable StreamClient<?> client, Limit limit) {
        limits.get(limit).increment();
    }

    @Override
    public void clientConnected(StreamClient<?> client) {
        activeConnections.incrementAndGet();
        accepted.increment();
        if (perClient.any() && clientsWithMeters.getAndUpdate(n -> n < perClient.limit() ? n + 1 : n)
                < perClient.limit()) {
            Traffic own;
            try {
                own = new Traffic(registry, "easynet.unix.client.", tags.and("client", client.id()));
            } catch (RuntimeException | Error e) {
                // the meters it did register are gone again; the slot goes back for the next client
                clientsWithMeters.decrementAndGet();
                throw e;
            }
            clientTraffic.add(own);
            client.attributes().set(clientTrafficKey, own);
        }
    }

    @Override
    public void bytesReceived(StreamClient<?> client, int count) {
        traffic.bytesReceived.increment(count);
        Traffic own = clientTraffic(client);
        if (own != null) {
            own.bytesReceived.increment(count);
        }
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        traffic.packetsReceived.increment();
        Traffic own = clientTraffic(client);
        if (own != null) {
            own.packetsReceived.increment();
        }
    }

    @Override
    public void requestCompleted(StreamClient<?> client, long durationNanos) {
        traffic.requests.record(durationNanos, TimeUnit.NANOSECONDS);
        Traffic own = clientTraffic(client);
        if (own != null) {
            own.requests.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void responseSent(StreamClient<?> client, int size) {
        traffic.bytesSent.increment(size);
        traffic.packetsSent.increment();
        Traffic own = clientTraffic(client);
        if (own != null) {
            own.bytesSent.increment(size);
            own.packetsSent.increment();
        }
    }

    @Override
    public void receiveFailed(StreamClient<?> client, Exception error) {
        (error instanceof SocketTimeoutException ? receiveTimeouts : parseErrors).increment();
    }

    @Override
    public void handlerFailed(StreamClient<?> client, Throwable error) {
        handlerErrors.increment();
    }

    /**
     * {@inheritDoc}
     *
     * <p>In this order: the {@code active} gauge goes down, the client's own meters leave the registry and its slot
     * is given back (even if removing a meter throws), then the close is counted; so once a close is counted, its
     * connection is out of the gauge and its slot is free.
     */
    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        activeConnections.decrementAndGet();
        Traffic own = perClient.any() ? client.attributes().remove(clientTrafficKey) : null;
        try {
            if (own != null) {
                clientTraffic.remove(own);
                removeAll(registry, own.meters);
            }
        } finally {
            if (own != null) {
                clientsWithMeters.decrementAndGet();
            }
            closed.get(reason).increment();
        }
    }

    /**
     * Removes every meter this listener registered from the registry: the server's, and those of the clients
     * connected now. For servers made and dropped while the application runs; call it once the servers it listens
     * to have stopped, since a client connecting afterwards would register meters again.
     */
    @Override
    public void close() {
        List<Meter> meters = new ArrayList<>(serverMeters);
        clientTraffic.forEach(own -> meters.addAll(own.meters));
        clientTraffic.clear();
        removeAll(registry, meters);
    }

    @Override
    public String toString() {
        return "ServerMetricsListener" + tags.stream().map(tag -> tag.getKey() + "=" + tag.getValue()).toList();
    }

    private @Nullable Traffic clientTraffic(StreamClient<?> client) {
        return perClient.any() ? client.attributes().get(clientTrafficKey) : null;
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private Counter counter(String name, String description, Tags tags) {
        Counter counter = Counter.builder(name).description(description).tags(tags).register(registry);
        serverMeters.add(counter);
        return counter;
    }

    /** Removes each meter, even if removing one throws (a registry's listener may); the first failure is thrown. */
    private static void removeAll(MeterRegistry registry, List<Meter> meters) {
        RuntimeException failure = null;
        for (Meter meter : meters) {
            try {
                registry.remove(meter);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The traffic meters: the server's, or one client's (under another name prefix, since Prometheus refuses one
     * name with different tag keys), kept in the client's attributes while it is connected.
     */
    private static final class Traffic {

        final Counter bytesReceived;

        final Counter bytesSent;

        final Counter packetsReceived;

        final Counter packetsSent;

        final Timer requests;

        /** All five, in the order registered. */
        final List<Meter> meters;

        /** Registers the meters; if one fails to register, those registered before it are removed again. */
        Traffic(MeterRegistry registry, String prefix, Tags tags) {
            List<Meter> registered = new ArrayList<>(METERS_PER_CLIENT);
            try {
                bytesReceived = add(registered, Counter.builder(prefix + "data.received")
                        .description("Bytes received").baseUnit(BaseUnits.BYTES).tags(tags).register(registry));
                bytesSent = add(registered, Counter.builder(prefix + "data.sent")
                        .description("Bytes of responses sent, framing included").baseUnit(BaseUnits.BYTES)
                        .tags(tags).register(registry));
                packetsReceived = add(registered, Counter.builder(prefix + "packets.received")
                        .description("Requests received: packets decoded and handed to the handler").tags(tags)
                        .register(registry));
                packetsSent = add(registered, Counter.builder(prefix + "packets.sent").description("Responses sent")
                        .tags(tags).register(registry));
                requests = add(registered, Timer.builder(prefix + "requests")
                        .description("Request handling time: from a request handed to the handler until it asks for "
                                + "the next one or its session ends")
                        .tags(tags).register(registry));
            } catch (RuntimeException | Error e) {
                try {
                    removeAll(registry, registered);
                } catch (RuntimeException removal) {
                    e.addSuppressed(removal);
                }
                throw e;
            }
            meters = List.copyOf(registered);
        }

        private static <M extends Meter> M add(List<Meter> registered, M meter) {
            registered.add(meter);
            return meter;
        }
    }
}
