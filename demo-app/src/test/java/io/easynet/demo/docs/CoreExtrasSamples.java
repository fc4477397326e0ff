package io.easynet.demo.docs;

import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.micrometer.ServerObservationListener;
import io.easynet.monitor.ClientActivity;
import io.easynet.monitor.ConnectionMonitor;
import io.easynet.monitor.TrafficTotals;
import io.easynet.protocol.StreamProtocol;
import io.easynet.server.AccessPolicy;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The samples of core.md (descriptors, access control, the connection monitor) and of metrics.md without Spring, run
 * over real sockets by {@link CoreExtrasSamplesTest}.
 */
final class CoreExtrasSamples {

    private CoreExtrasSamples() {
    }

    /** Options that receive up to four descriptors with each read. */
    static ServerOptions descriptorOptions() {
        // tag::descriptor-options[]
        var options = ServerOptions.builder().ancillaryBufferSize(Ancillary.bufferSizeFor(4)).build();
        // end::descriptor-options[]
        return options;
    }

    /** The three access policies core.md shows. */
    static List<ServerOptions> accessPolicies() {
        // tag::access-policies[]
        var sameUser = ServerOptions.builder().accessPolicy(AccessPolicy.sameUserOnly()).build();  // the server's user
        var listed = ServerOptions.builder().accessPolicy(AccessPolicy.uids(1000, 1001)).build();
        var either = ServerOptions.builder()
                .accessPolicy(new AccessPolicy(Set.of(1000), Set.of(100), true)).build();     // uids, gids, same user
        // end::access-policies[]
        return List.of(sameUser, listed, either);
    }

    /** What a monitor tells about a server, read while {@code client#1} is connected. */
    record MonitorView(List<ClientActivity> clients, Optional<ClientActivity> first, int active, TrafficTotals totals,
            boolean disconnected) {
    }

    /** Adds a monitor to {@code server}, starts it, waits for {@code connected} and reads the monitor. */
    static MonitorView monitor(AsyncUnixStreamServer<?, ?> server, Consumer<ConnectionMonitor> connected)
            throws IOException {
        // tag::monitor[]
        var monitor = new ConnectionMonitor();
        server.addListener(monitor);                                  // before start()
        server.start();
        // end::monitor[]
        connected.accept(monitor);
        // tag::monitor-queries[]
        List<ClientActivity> clients = monitor.clients();            // in the order the server accepted them
        Optional<ClientActivity> first = monitor.client("client#1");
        int active = monitor.activeConnections();
        TrafficTotals totals = monitor.totals();                      // since the server started, clients that left included
        boolean disconnected = monitor.disconnect("client#1");       // closes that connection; false if none such
        // end::monitor-queries[]
        return new MonitorView(clients, first, active, totals, disconnected);
    }

    /** A metered, observed server and the registry its meters are in. */
    record Metered<Req, Resp>(AsyncUnixStreamServer<Req, Resp> server, MeterRegistry meters) {
    }

    /** metrics.md's server without Spring: meters and observations, started. */
    static <Req, Resp> Metered<Req, Resp> metered(Path path, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options) throws IOException {
        // tag::core-metrics[]
        MeterRegistry meters = new SimpleMeterRegistry();           // or a Prometheus registry
        ObservationRegistry observations = ObservationRegistry.create();

        var server = new AsyncUnixStreamServer<>(path, protocol, handler, options);
        server.addListener(new ServerMetricsListener(meters, Tags.of("server", "echo")));   // per-client on, limit 1000
        // or: new ServerMetricsListener(meters, Tags.of("server", "echo"), PerClientMetrics.off())
        //     new ServerMetricsListener(meters, Tags.of("server", "echo"), new PerClientMetrics(true, 50))
        server.addListener(new ServerObservationListener(observations, "echo"));
        server.start();
        // end::core-metrics[]
        return new Metered<>(server, meters);
    }

    /** A server that numbers its clients on from {@code clientNumbers}, counted by {@code metrics}. */
    static <Req, Resp> AsyncUnixStreamServer<Req, Resp> restarted(Path path, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options, AtomicLong clientNumbers,
            ServerMetricsListener metrics) {
        // tag::client-numbers[]
        // clientNumbers: one AtomicLong, kept with the listener across the server instances
        var server = new AsyncUnixStreamServer<>(path, protocol, handler, options, clientNumbers::incrementAndGet);
        server.addListener(metrics);
        // end::client-numbers[]
        return server;
    }
}
