package io.easynet.boot.unix.actuate.endpoint;

import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.easynet.boot.unix.ManagedUnixStreamServer;
import io.easynet.boot.unix.UnixStreamServerMonitors;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.monitor.ClientActivity;
import io.easynet.monitor.ConnectionMonitor;
import io.easynet.monitor.TrafficTotals;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.MinReceiveRate;
import io.easynet.server.ServerOptions;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.util.Assert;

/**
 * The {@code easynet} actuator endpoint: the managed servers with their settings and live figures, the clients
 * connected to one server, and the disconnection of one client. Its access is read-only unless the application
 * grants more ({@code management.endpoint.easynet.access=unrestricted}), since disconnecting clients is an admin
 * action; like every endpoint but {@code health}, it is not exposed over HTTP unless the application says so.
 */
@Endpoint(id = "easynet", defaultAccess = Access.READ_ONLY)
public final class EasynetEndpoint {

    private static final String CLIENT_ID_PREFIX = "client#";

    private final UnixStreamServers servers;

    private final UnixStreamServerMonitors monitors;

    /**
     * Reports the servers of {@code servers}, with the clients that {@code monitors} keep.
     *
     * @param servers the servers to report on
     * @param monitors their connection monitors
     */
    public EasynetEndpoint(UnixStreamServers servers, UnixStreamServerMonitors monitors) {
        Assert.notNull(servers, "'servers' must not be null");
        Assert.notNull(monitors, "'monitors' must not be null");
        this.servers = servers;
        this.monitors = monitors;
    }

    /**
     * Every server by name, with its settings and live figures.
     *
     * @return the servers and their state
     */
    @ReadOperation
    public ServersDescriptor servers() {
        Map<String, ServerDescriptor> byName = new LinkedHashMap<>();
        servers.getServers().forEach(server -> byName.put(server.getName(), describe(server)));
        return new ServersDescriptor(byName);
    }

    /**
     * {@return the clients connected to the server called {@code server}, in the order they connected, or {@code null}
     * (a 404 over HTTP) if there is no such server}
     *
     * @param server the server's name
     */
    @ReadOperation
    public @Nullable ClientsDescriptor clients(@Selector String server) {
        return find(server).map(found -> new ClientsDescriptor(found.getName(), monitorOf(found).clients()))
                .orElse(null);
    }

    /**
     * Closes the connection of one client of the server called {@code server}: the client reads end of stream.
     * {@code client} is the client's id ({@code client#3}) or its number alone ({@code 3}), since {@code #} has to be
     * escaped in a URL.
     *
     * @param server the server's name
     * @param client the client's id
     * @return the client's id and whether it was connected, and so disconnected now
     * @throws InvalidEndpointRequestException (a 400 over HTTP) naming the servers there are, if none is called
     *     {@code server}
     */
    @DeleteOperation
    public DisconnectDescriptor disconnect(@Selector String server, @Selector String client) {
        String id = client.startsWith(CLIENT_ID_PREFIX) ? client : CLIENT_ID_PREFIX + client;
        ManagedUnixStreamServer<?, ?> found = find(server).orElseThrow(() -> new InvalidEndpointRequestException(
                "no Unix stream server is called '" + server + "'; the servers are "
                        + servers.getServers().stream().map(ManagedUnixStreamServer::getName).toList(),
                "no server '" + server + "'"));
        return new DisconnectDescriptor(server, id, monitorOf(found).disconnect(id));
    }

    private Optional<ManagedUnixStreamServer<?, ?>> find(String name) {
        return servers.getServers().stream().filter(server -> server.getName().equals(name)).findFirst();
    }

    private ConnectionMonitor monitorOf(ManagedUnixStreamServer<?, ?> server) {
        return monitors.get(server.getName()).orElseThrow(() -> new InvalidEndpointRequestException(
                "Unix stream server '" + server.getName() + "' has no connection monitor: its factory was not "
                        + "customized by the UnixStreamServerMonitors bean",
                "server '" + server.getName() + "' is not monitored"));
    }

    private ServerDescriptor describe(ManagedUnixStreamServer<?, ?> server) {
        Optional<? extends AsyncUnixStreamServer<?, ?>> running = server.getServer();
        return new ServerDescriptor(server.getPath().toString(), server.isRunning(),
                new ProtocolDescriptor(server.getProtocol().encoder().toString(),
                        server.getProtocol().decoder().toString()),
                OptionsDescriptor.of(server.getOptions()),
                running.flatMap(AsyncUnixStreamServer::startedAt).orElse(null),
                running.map(current -> current.clients().size()).orElse(0),
                monitors.get(server.getName()).map(ConnectionMonitor::totals).orElse(null));
    }

    /**
     * The servers, by name.
     *
     * @param servers each server's description, in the order the servers start
     */
    public record ServersDescriptor(Map<String, ServerDescriptor> servers) implements OperationResponseBody {
    }

    /**
     * One server.
     *
     * @param path where its socket file is bound
     * @param running whether it is serving, or still draining its clients in a stop
     * @param protocol how it encodes responses and decodes requests
     * @param options the options each new core server is created with
     * @param startedAt when the running core server started, or {@code null} if none runs
     * @param activeConnections the clients connected now
     * @param totals what was counted since the server last started, or {@code null} if it is not monitored
     */
    public record ServerDescriptor(String path, boolean running, ProtocolDescriptor protocol,
            OptionsDescriptor options, @Nullable Instant startedAt, int activeConnections,
            @Nullable TrafficTotals totals) {
    }

    /**
     * A server's protocol, as its serializers describe themselves.
     *
     * @param responses the serializer that encodes responses
     * @param requests the serializer that decodes requests
     */
    public record ProtocolDescriptor(String responses, String requests) {
    }

    /**
     * A server's options; see {@link ServerOptions} for their meaning.
     *
     * @param backlog the listen backlog
     * @param socketFileMode the socket file's permissions, such as {@code rw-rw----}, or {@code null} if the umask
     *     decides
     * @param maxConnections how many clients are served at once ({@value Integer#MAX_VALUE} for no limit)
     * @param maxPacketSize the largest request in bytes, framing excluded
     * @param receiveBufferSize the most one read of a client asks for, in bytes
     * @param receiveTimeout how long a receive waits, or {@code null} for no limit
     * @param idleTimeout how long a client may stay silent, or {@code null} for no limit
     * @param shutdownGracePeriod how long handlers get to finish at stop
     * @param sendTimeout how long one send may take, or {@code null} for no limit
     * @param minReceiveRate the slow-packet guard, or {@code null} for none
     * @param maxQueuedSends how many sends to one client may wait behind the one in progress
     * @param maxDescriptors how many received file descriptors one client may have waiting for its requests
     */
    public record OptionsDescriptor(int backlog, @Nullable String socketFileMode, int maxConnections,
            int maxPacketSize, int receiveBufferSize, @Nullable Duration receiveTimeout, @Nullable Duration idleTimeout,
            Duration shutdownGracePeriod, @Nullable Duration sendTimeout, @Nullable MinReceiveRate minReceiveRate,
            int maxQueuedSends, int maxDescriptors) {

        static OptionsDescriptor of(ServerOptions options) {
            return new OptionsDescriptor(options.backlog(), options.socketFileMode() == null ? null
                    : PosixFilePermissions.toString(options.socketFileMode()), options.maxConnections(),
                    options.maxPacketSize(), options.receiveBufferSize(), options.receiveTimeout(),
                    options.idleTimeout(), options.shutdownGracePeriod(), options.sendTimeout(),
                    options.minReceiveRate(), options.maxQueuedSends(), options.maxDescriptors());
        }
    }

    /**
     * The clients of one server.
     *
     * @param server the server's name
     * @param clients the clients connected now, in the order they connected
     */
    public record ClientsDescriptor(String server, List<ClientActivity> clients) implements OperationResponseBody {
    }

    /**
     * What a disconnection did.
     *
     * @param server the server's name
     * @param client the client's id
     * @param disconnected whether the client was connected, and so is disconnected now; {@code false} if no client
     *     with that id was connected
     */
    public record DisconnectDescriptor(String server, String client, boolean disconnected)
            implements OperationResponseBody {
    }
}
