package io.easynet.benchmarks.path;

import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-packet path of a real {@link AsyncUnixStreamServer}, one echo round trip per operation: a client
 * in this JVM writes a request to the server's socket and reads the response back whole, while the server's client
 * thread receives it, runs an echo handler and sends it. Unlike {@link PacketPathBenchmark} it includes the server's
 * client and listener fan-out, the system calls and the virtual thread parking between requests; the client side
 * reuses its buffers. {@code -prof gc} gives the bytes allocated per round trip in the whole JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerPathBenchmark {

    @Param({"raw", "line", "json"})
    String serializer;

    @Param({"64", "1024", "10240"})
    int size;

    /** {@code none}, or {@code metrics}: a {@code ServerMetricsListener} with per-client meters. */
    @Param({"none", "metrics"})
    String listener;

    private Path directory;

    private AsyncUnixStreamServer<?, ?> server;

    private SocketChannel channel;

    private ByteBuffer request;

    private ByteBuffer response;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        EchoCase<?> echoCase = EchoCase.of(serializer, size);
        directory = Files.createTempDirectory("easynet-bench");
        Path path = directory.resolve("echo.sock");
        server = echoServer(echoCase, path);
        switch (listener) {
            case "none" -> {
            }
            case "metrics" -> server.addListener(new ServerMetricsListener(new SimpleMeterRegistry(),
                    Tags.of("server", "bench")));
            default -> throw new IllegalArgumentException("unknown listener " + listener);
        }
        server.start();
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        request = ByteBuffer.wrap(echoCase.request());
        response = ByteBuffer.allocate(echoCase.responseSize());
    }

    private static <T> AsyncUnixStreamServer<T, T> echoServer(EchoCase<T> echoCase, Path path) {
        return new AsyncUnixStreamServer<>(path, echoCase.protocol(),
                (client, requests) -> client.send(requests.receive()), ServerOptions.defaults());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        server.stop(Duration.ofSeconds(5));
        Files.deleteIfExists(directory);
    }

    /** Sends one request and reads the whole response. */
    @Benchmark
    public int roundTrip() throws IOException {
        request.clear();
        while (request.hasRemaining()) {
            channel.write(request);
        }
        response.clear();
        while (response.hasRemaining()) {
            if (channel.read(response) < 0) {
                throw new EOFException("the server closed the connection");
            }
        }
        return response.position();
    }
}
