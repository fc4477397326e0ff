package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.client.UnixStreamClient;
import io.easynet.internal.transport.UnixTransport;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two servers started at once on a path holding a stale socket file: exactly one starts and can be reached, the other
 * fails naming the path, in every round, on both transports.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StartRaceTest {

    private static final int ROUNDS = 150;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Stream<Arguments> transports() {
        return Stream.of(Arguments.of("JDK", ServerOptions.defaults()),
                Arguments.of("junixsocket", ServerOptions.builder().peerCredentials(true).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void twoServersStartingAtOnceOnAStaleSocketFileStartExactlyOnce(String transport, ServerOptions options)
            throws Exception {
        Path path = dir.resolve("race.sock");
        Map<String, Integer> outcomes = new TreeMap<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                UnixTransport.jdk().listen(path, 1).close();
                CyclicBarrier ready = new CyclicBarrier(2);
                List<AsyncUnixStreamServer<String, String>> servers = List.of(
                        new AsyncUnixStreamServer<>(path, LINES, echo(), options),
                        new AsyncUnixStreamServer<>(path, LINES, echo(), options));
                List<CompletableFuture<Exception>> starts = new ArrayList<>();
                for (var server : servers) {
                    starts.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            ready.await();
                            server.start();
                            return null;
                        } catch (Exception e) {
                            return e;
                        }
                    }, threads));
                }
                List<String> failures = new ArrayList<>();
                int started = 0;
                for (var start : starts) {
                    Exception failure = start.join();
                    if (failure == null) {
                        started++;
                    } else {
                        failures.add(failure.getClass().getSimpleName() + ": " + failure.getMessage());
                    }
                }
                String outcome = started + " started";
                if (started == 1) {
                    var winner = servers.get(0).isServing() ? servers.get(0) : servers.get(1);
                    try (var client = UnixStreamClient.connect(path, LINES)) {
                        client.send("round " + round);
                        outcome += client.receive(TIMEOUT).equals("round " + round) ? ", reachable" : ", wrong answer";
                    } catch (Exception e) {
                        outcome += ", unreachable";
                    }
                    outcome += failures.stream().allMatch(failure -> failure.equals("BindException: "
                            + "a server is already listening on " + path) || failure.equals("BindException: "
                            + "another server is starting on " + path + ": it holds the lock file " + path + ".lock")) ? ", the other refused"
                            : ", the other failed otherwise: " + failures;
                    assertThat(winner.socketFileState()).isEqualTo(SocketFileState.INTACT);
                }
                servers.forEach(AsyncUnixStreamServer::close);
                try (Stream<Path> left = Files.list(dir)) {
                    List<Path> files = left.toList();
                    if (!files.isEmpty()) {
                        outcome += ", left " + files.size() + " files";
                        for (Path file : files) {
                            Files.delete(file);
                        }
                    }
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        }
        assertThat(outcomes).containsExactly(Map.entry("1 started, reachable, the other refused", ROUNDS));
    }
}
