package io.easynet.benchmarks.path;

import io.easynet.internal.transport.PacketStream;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.ServerOptions;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's per-packet echo path without system calls: the request's bytes arrive in a {@link PacketStream}'s
 * receive buffer from an {@link InMemoryConnection}, the decoder cuts the packet, the handler's send encodes it
 * back and writes it to the connection. One echoed packet per operation, with the server's default buffer sizes,
 * with no listener or with the metrics listener; {@code -prof gc} gives the bytes allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketPathBenchmark {

    @Param({"raw", "line", "json"})
    String serializer;

    @Param({"64", "1024"})
    int size;

    /** {@code none}, or {@code metrics}: a {@code ServerMetricsListener} on a {@code SimpleMeterRegistry}. */
    @Param({"none", "metrics"})
    String listener;

    private Echo<?> echo;

    @Setup(Level.Trial)
    public void setUp() {
        echo = new Echo<>(EchoCase.of(serializer, size), switch (listener) {
            case "none" -> null;
            case "metrics" -> new MetricsTraffic();
            default -> throw new IllegalArgumentException("unknown listener " + listener);
        });
    }

    /** Receives one request and sends it back. */
    @Benchmark
    public Object echo() throws IOException, StreamProtocolParseException {
        return echo.echo();
    }

    /** A stream that echoes what it receives, as an echo handler on the server's client does. */
    private static final class Echo<T> {

        private final PacketStream<T, T> stream;

        private final InMemoryConnection connection;

        private final @Nullable MetricsTraffic metrics;

        private final long responseSize;

        Echo(EchoCase<T> echoCase, @Nullable MetricsTraffic metrics) {
            this.connection = new InMemoryConnection(echoCase.request());
            this.metrics = metrics;
            ServerOptions options = ServerOptions.defaults();
            this.stream = new PacketStream<>(connection, echoCase.protocol(), "client#1 in memory",
                    options.receiveBufferSize(), options.maxPacketSize(),
                    metrics == null ? PacketStream.TrafficListener.NONE : metrics);
            this.responseSize = echoCase.responseSize();
        }

        T echo() throws IOException, StreamProtocolParseException {
            if (metrics != null) {
                metrics.completeRequest();
            }
            T request = stream.receive(null);
            long before = connection.bytesWritten();
            stream.send(request);
            if (connection.bytesWritten() - before != responseSize) {
                throw new IllegalStateException("echoed " + (connection.bytesWritten() - before) + " bytes, expected "
                        + responseSize);
            }
            return request;
        }
    }
}
