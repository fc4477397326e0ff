package io.easynet.benchmarks.path;

import io.easynet.internal.transport.PacketStream;
import io.easynet.micrometer.PerClientMetrics;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.server.StreamClient;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A stream's traffic reported to a {@link ServerMetricsListener} the way the server's client reports it: bytes and
 * packets as they pass, and each request's handling time once the handler asks for the next one. It stands in for
 * the server's package-private client in a benchmark that drives a stream without a server; the metrics have no
 * per-client meters, which need the server's client attributes.
 */
final class MetricsTraffic implements PacketStream.TrafficListener {

    private final ServerMetricsListener metrics = new ServerMetricsListener(new SimpleMeterRegistry(),
            Tags.of("server", "bench"), PerClientMetrics.off());

    private final StreamClient<?> client = new BenchmarkClient();

    private boolean requestOutstanding;

    private long requestStart;

    @Override
    public void bytesReceived(int count) {
        metrics.bytesReceived(client, count);
    }

    @Override
    public void packetReceived() {
        requestStart = System.nanoTime();
        requestOutstanding = true;
        metrics.requestReceived(client);
    }

    @Override
    public void packetSent(int size) {
        metrics.responseSent(client, size);
    }

    /** Reports the request handed out last as completed: the handler asks for the next one. */
    void completeRequest() {
        if (requestOutstanding) {
            requestOutstanding = false;
            metrics.requestCompleted(client, System.nanoTime() - requestStart);
        }
    }
}
