package io.easynet.benchmarks.observation;

import io.easynet.client.UnixStreamClient;
import io.easynet.micrometer.ServerObservationListener;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerListener;
import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.server.StreamClient;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Nanoseconds per request that a {@link ServerObservationListener} adds, batch after batch from a fresh JVM on:
 * the first batches show what the observation costs before the JIT has compiled it, the last what it costs once
 * compiled. The registry is set up as Boot's actuator does with the Prometheus registry: Micrometer's
 * {@link DefaultMeterObservationHandler} (a timer and a long task timer per observation) in a first-matching
 * group.
 *
 * <p>The listener is driven by hand, {@code requestReceived} then {@code requestCompleted}, inside a real
 * server's handler: on the client's virtual thread and with its real attributes, as the server drives it, without
 * the socket's cost in the figures. Each batch runs once with a listener that does nothing and once with the
 * observation listener, so the two are compared within one run.
 *
 * <p>Arguments (optional): the number of batches (default 30) and the requests per batch (default 20000).
 */
public final class ObservationCost {

    private ObservationCost() {
    }

    /** Prints one line per batch: ns/request without and with the observation listener. */
    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(
                new FirstMatchingCompositeObservationHandler(new DefaultMeterObservationHandler(meters)));
        ServerListener none = new ServerListener() {
        };
        ServerListener observation = new ServerObservationListener(registry, "bench");
        Path dir = Files.createTempDirectory("easynet-observation-cost");
        Path path = dir.resolve("bench.sock");
        var protocol = StreamProtocol.of(new LineSerializer());
        var server = new AsyncUnixStreamServer<String, String>(path, protocol, (client, received) -> {
            received.receive();
            client.send(nanosPerRequest(none, client, requests) + " " + nanosPerRequest(observation, client, requests));
        });
        server.start();
        try (var client = UnixStreamClient.connect(path, protocol)) {
            System.out.println("batch  requests  none ns/req  observation ns/req");
            for (int batch = 0; batch < batches; batch++) {
                client.send("go");
                String[] nanos = client.receive().split(" ");
                System.out.printf("%5d  %8d  %11s  %18s%n", batch, (batch + 1L) * requests, nanos[0], nanos[1]);
            }
        } finally {
            server.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    /** Drives {@code listener} through one connection of {@code requests} requests on this (the client's) thread. */
    private static String nanosPerRequest(ServerListener listener, StreamClient<?> client, int requests) {
        listener.clientConnected(client);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            listener.requestReceived(client);
            listener.requestCompleted(client, 0);
        }
        long elapsed = System.nanoTime() - start;
        listener.clientDisconnected(client, DisconnectReason.NORMAL);
        return String.format("%.0f", elapsed / (double) requests);
    }
}
