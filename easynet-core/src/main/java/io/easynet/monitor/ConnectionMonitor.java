package io.easynet.monitor;

import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerListener;
import io.easynet.server.StreamClient;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what each connected client of a server has done: when it connected, bytes and packets in and out, when
 * it was last active; and disconnects one on request. A client is forgotten once it disconnects.
 *
 * <pre>{@code
 * var monitor = new ConnectionMonitor();
 * server.addListener(monitor);
 * server.start();
 * monitor.clients().forEach(System.out::println);
 * }</pre>
 *
 * <p>Add a monitor to one server: client ids are unique within a server only. The same monitor may be added to
 * the server that replaces a stopped one at the same path (a restart) if both take their client numbers from one
 * sequence (see {@link AsyncUnixStreamServer}'s constructor taking a {@code LongSupplier}), since a client of the
 * stopped server may outlive the stop; its {@link #totals()} then start again from zero. Each event costs one map lookup and a few atomic additions; the peer's identity is looked up only when
 * {@link #clients()} first reports the client. Thread-safe.
 */
public final class ConnectionMonitor implements ServerListener {

    private static final Logger logger = LoggerFactory.getLogger(ConnectionMonitor.class);

    /** Ids number clients in the order they were accepted; by length first, client#10 follows client#9. */
    private static final Comparator<ClientActivity> ACCEPT_ORDER = Comparator
            .comparingInt((ClientActivity client) -> client.id().length()).thenComparing(ClientActivity::id);

    private final InstantSource clock;

    private final Map<StreamClient<?>, Connection> connections = new ConcurrentHashMap<>();

    private final LongAdder accepted = new LongAdder();

    private final LongAdder bytesIn = new LongAdder();

    private final LongAdder bytesOut = new LongAdder();

    private final LongAdder packetsIn = new LongAdder();

    private final LongAdder packetsOut = new LongAdder();

    /** Creates a monitor that timestamps with the system clock. */
    public ConnectionMonitor() {
        this(InstantSource.system());
    }

    /**
     * Creates a monitor that timestamps with {@code clock}, with millisecond precision.
     *
     * @param clock the source of the times recorded for connects and activity
     */
    public ConnectionMonitor(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@return the clients connected now} */
    public int activeConnections() {
        return connections.size();
    }

    /**
     * {@return the clients connected now, in the order the server accepted them: sorted by id, shorter ids first, so
     * that {@code client#9} comes before {@code client#10}}
     */
    public List<ClientActivity> clients() {
        return connections.values().stream().map(Connection::snapshot).sorted(ACCEPT_ORDER).toList();
    }

    /**
     * {@return the connected client with that {@link StreamClient#id() id}, if there is one}
     *
     * @param id the client's id
     */
    public Optional<ClientActivity> client(String id) {
        return find(id).map(Connection::snapshot);
    }

    /**
     * Closes the connection of the client with that id, as {@link StreamClient#close()} does: the peer reads end of
     * stream, and a receive its handler is blocked in throws {@code ClientDisconnectedException}. Listeners see the
     * disconnect as {@link DisconnectReason#NORMAL}, like a handler's close.
     *
     * @param id the client's id
     * @return whether a client with that id was connected
     */
    public boolean disconnect(String id) {
        Optional<Connection> connection = find(id);
        connection.ifPresent(found -> {
            logger.info("Disconnecting {} on request", found.client);
            found.client.close();
        });
        return connection.isPresent();
    }

    /** {@return what was counted since the server started, clients that have left included} */
    public TrafficTotals totals() {
        return new TrafficTotals(accepted.sum(), bytesIn.sum(), bytesOut.sum(), packetsIn.sum(), packetsOut.sum());
    }

    @Override
    public void serverStarted(AsyncUnixStreamServer<?, ?> server) {
        // no client is connected yet, so nothing adds while the totals are reset
        accepted.reset();
        bytesIn.reset();
        bytesOut.reset();
        packetsIn.reset();
        packetsOut.reset();
    }

    @Override
    public void clientConnected(StreamClient<?> client) {
        connections.put(client, new Connection(client, clock.millis()));
        accepted.increment();
    }

    @Override
    public void bytesReceived(StreamClient<?> client, int count) {
        bytesIn.add(count);
        Connection connection = connections.get(client);
        if (connection != null) {
            connection.bytesIn.addAndGet(count);
            connection.lastActivity = clock.millis();
        }
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        packetsIn.increment();
        Connection connection = connections.get(client);
        if (connection != null) {
            connection.packetsIn.incrementAndGet();
        }
    }

    @Override
    public void responseSent(StreamClient<?> client, int size) {
        bytesOut.add(size);
        packetsOut.increment();
        Connection connection = connections.get(client);
        if (connection != null) {
            connection.bytesOut.addAndGet(size);
            connection.packetsOut.incrementAndGet();
            connection.lastActivity = clock.millis();
        }
    }

    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        connections.remove(client);
    }

    @Override
    public String toString() {
        return "ConnectionMonitor[" + connections.size() + " clients]";
    }

    private Optional<Connection> find(String id) {
        Objects.requireNonNull(id, "id");
        return connections.values().stream().filter(connection -> connection.client.id().equals(id)).findFirst();
    }

    /** One client's counters; each is written mostly by the client's own thread. */
    private static final class Connection {

        final StreamClient<?> client;

        final long connectedSince;

        final AtomicLong bytesIn = new AtomicLong();

        final AtomicLong bytesOut = new AtomicLong();

        final AtomicLong packetsIn = new AtomicLong();

        final AtomicLong packetsOut = new AtomicLong();

        volatile long lastActivity;

        /** Looked up on the first snapshot: the peer does not change, and most connections are never listed. */
        private volatile @Nullable String peer;

        Connection(StreamClient<?> client, long connectedSince) {
            this.client = client;
            this.connectedSince = connectedSince;
            this.lastActivity = connectedSince;
        }

        ClientActivity snapshot() {
            String who = peer;
            if (who == null) {
                who = describePeer(client);
                peer = who;
            }
            return new ClientActivity(client.id(), who, Instant.ofEpochMilli(connectedSince),
                    Instant.ofEpochMilli(lastActivity), bytesIn.get(), bytesOut.get(), packetsIn.get(),
                    packetsOut.get());
        }

        private static String describePeer(StreamClient<?> client) {
            SocketAddress address = client.peerAddress();
            if (!(address instanceof UnixDomainSocketAddress unix)) {
                return address.toString();
            }
            if (!unix.getPath().toString().isEmpty()) {
                return unix.getPath().toString();
            }
            try {
                UnixDomainPrincipal principal = client.socket().getOption(ExtendedSocketOptions.SO_PEERCRED);
                return "unnamed (user " + principal.user().getName() + ", group " + principal.group().getName() + ")";
            } catch (UnsupportedOperationException e) {
                // junixsocket's channels have no SO_PEERCRED option, but the server read the credentials at accept
                return credentialsOf(client);
            } catch (IOException e) {
                // the connection closed meanwhile
                return "unnamed";
            }
        }

        private static String credentialsOf(StreamClient<?> client) {
            try {
                return "unnamed (" + PeerNames.userAndGroup(client.peerCredentials()) + ")";
            } catch (UnsupportedOperationException e) {
                // the server did not read them: nothing tells who it is
                return "unnamed";
            }
        }
    }
}
