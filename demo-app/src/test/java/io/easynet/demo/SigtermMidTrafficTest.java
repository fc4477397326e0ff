package io.easynet.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -TERM} of the demo while clients do request/response on its echo server: every response a client
 * received is a complete line equal to its request (no half-written response), each connection ends on a line
 * boundary, the process exits, and the socket files are gone.
 */
@Timeout(300)
class SigtermMidTrafficTest {

    /**
     * The longest wait for the demo to start, to answer the first requests, or to exit: the test is about what the
     * signal leaves behind, not how fast a JVM starts Spring Boot, and on a loaded 2-core machine that took more than
     * 30 s. The demo's exit is bounded by its grace period (30 s, which these echo requests never use up) plus the
     * JVM's shutdown.
     */
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final int CLIENTS = 8;

    /** Answers the clients get before the signal: enough that it lands in the middle of the traffic. */
    private static final long ANSWERS_BEFORE_SIGNAL = 2_000;

    /** One request in this many carries a payload near the demo's 64 KiB packet limit. */
    private static final int LARGE_EVERY = 50;

    private static final int LARGE_PAYLOAD = 60_000;

    /** What the JVM exits with when a SIGTERM ends it after its shutdown hooks ran: 128 + 15. */
    private static final int SIGTERM_EXIT_CODE = 143;

    private static final List<String> SOCKETS = List.of("echo.sock", "counter.sock", "fd.sock");

    @TempDir
    Path dir;

    /** How one client's traffic ended. */
    private record ClientRun(long answered, String end) {
    }

    @Test
    void sigtermMidTrafficLeavesNoHalfWrittenResponseAndRemovesTheSocketFiles() throws Exception {
        Path log = dir.resolve("demo.log");
        Process demo = startDemo(log);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            await().atMost(WAIT).failFast("the demo exited", () -> !demo.isAlive())
                    .until(() -> Files.readString(log).contains("Started DemoApplication")
                    && SOCKETS.stream().allMatch(name -> Files.exists(dir.resolve(name))));
            var answered = new AtomicLong();
            List<Future<ClientRun>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                runs.add(clients.submit(() -> echoUntilTheEnd(dir.resolve("echo.sock"), client, answered)));
            }
            await().atMost(WAIT).until(() -> answered.get() >= ANSWERS_BEFORE_SIGNAL);
            demo.destroy();
            assertThat(demo.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("demo exited after SIGTERM").isTrue();

            List<String> ends = new ArrayList<>();
            for (Future<ClientRun> run : runs) {
                ends.add(run.get(10, TimeUnit.SECONDS).end());
            }
            String output = Files.readString(log);
            assertThat(demo.exitValue()).as(output).isEqualTo(SIGTERM_EXIT_CODE);
            assertThat(ends).as("how each connection ended").allMatch(end -> end.startsWith("end of stream")
                    || end.startsWith("reset") || end.startsWith("broken pipe"));
            for (String name : SOCKETS) {
                assertThat(dir.resolve(name)).as("socket file removed at exit").doesNotExist();
            }
            assertThat(output).contains("Stopped the server on " + dir.resolve("echo.sock") + " (graceful)")
                    .doesNotContain(" ERROR ");
            System.out.println("sigterm mid-traffic: clients " + CLIENTS + ", requests answered " + answered.get()
                    + ", half-written responses 0, mismatches 0, exit code " + demo.exitValue() + ", connection ends "
                    + ends.stream().map(end -> end.substring(0, end.indexOf(':'))).sorted().toList());
        } finally {
            demo.destroyForcibly();
        }
    }

    private Process startDemo(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), DemoApplication.class.getName(), "--server.port=0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("EASYNET_DEMO_DIR", dir.toString());
        return builder.start();
    }

    /**
     * Sends a request and reads its answer, again and again, until the server ends the connection. Every answer must
     * be a whole line equal to its request; the connection must end between lines. Returns how many were answered
     * and how the connection ended (a failed check throws).
     */
    private static ClientRun echoUntilTheEnd(Path path, int client, AtomicLong answered) throws IOException {
        var random = new SplittableRandom(20261125L + client);
        long count = 0;
        try (var channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            var reader = new LineReader(channel);
            for (int seq = 0; ; seq++) {
                ObjectNode request = JsonMapper.shared().createObjectNode().put("client", client).put("seq", seq)
                        .put("payload", "p".repeat(seq % LARGE_EVERY == LARGE_EVERY - 1 ? LARGE_PAYLOAD
                                : random.nextInt(0, 2_048)));
                try {
                    write(channel, JsonMapper.shared().writeValueAsString(request) + "\n");
                } catch (IOException e) {
                    // the server closed first; whatever it answered before is already checked
                    return new ClientRun(count, "broken pipe: " + e.getMessage() + " after " + count);
                }
                String line;
                try {
                    line = reader.readLine();
                } catch (SocketException e) {
                    assertThat(reader.pending()).as("bytes of a half-written response before the reset").isZero();
                    return new ClientRun(count, "reset: " + e.getMessage() + " after " + count);
                }
                if (line == null) {
                    return new ClientRun(count, "end of stream: after " + count);
                }
                JsonNode response = JsonMapper.shared().readTree(line);
                assertThat(response).as("answer to client %d request %d", client, seq).isEqualTo(request);
                count++;
                answered.incrementAndGet();
            }
        }
    }

    private static void write(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads newline-terminated lines and fails on an end of stream in the middle of one. */
    private static final class LineReader {

        private final SocketChannel channel;

        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(SocketChannel channel) {
            this.channel = channel;
        }

        /** The next line without its newline, or {@code null} at an end of stream between lines. */
        String readLine() throws IOException {
            while (true) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        String text = line.toString(UTF_8);
                        line.reset();
                        return text;
                    }
                    line.write(b);
                }
                buffer.clear();
                int read = channel.read(buffer);
                buffer.flip();
                if (read < 0) {
                    assertThat(line.size()).as("bytes of a half-written response at the end of stream").isZero();
                    return null;
                }
            }
        }

        /** Bytes of a line read so far without its newline. */
        int pending() {
            return line.size();
        }
    }
}
