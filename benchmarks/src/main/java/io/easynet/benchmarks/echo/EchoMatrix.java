package io.easynet.benchmarks.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the echo matrix: every server under test against every payload it serves and every connection count, one
 * server process at a time, a fresh JVM per run; then writes {@code echo-<date>.json} and {@code echo-<date>.md}
 * in the results directory and the charts in the docs directory. The servers of one scenario run back to back and
 * round after round (A B C, A B C, ...), and each figure is the median of the rounds: on a shared machine a burst of
 * someone else's load then hits one round of one server, not the whole comparison. Settings:
 * {@link MatrixSettings}.
 */
public final class EchoMatrix {

    static final String RAW_64 = "64 B raw";
    static final String RAW_1K = "1 KiB raw";
    static final String RAW_10K = "10 KiB raw";
    static final String JSON_1K = "1 KiB JSON lines";

    private static final List<Payload> PAYLOADS = List.of(Payload.raw(RAW_64, 64), Payload.raw(RAW_1K, 1024),
            Payload.raw(RAW_10K, 10 * 1024), Payload.jsonLine(JSON_1K, 1024));

    private EchoMatrix() {
    }

    /** Runs the matrix with the settings of the system properties and writes the reports. */
    public static void main(String[] args) throws Exception {
        MatrixSettings settings = MatrixSettings.fromSystemProperties();
        String java = ProcessHandle.current().info().command().orElse("java");
        ServerLauncher launcher = new ServerLauncher(java, settings.serverJvmFlags(),
                System.getProperty("java.class.path"), settings.demoClasses(), settings.demoArgs());
        LoadGenerator generator = new LoadGenerator(settings.clientThreads());

        List<Measurement> measurements = new ArrayList<>();
        for (int connections : settings.connections()) {
            for (Payload payload : PAYLOADS) {
                Scenario scenario = new Scenario(payload, connections);
                List<ServerKind> servers = settings.servers().stream().filter(s -> s.serves(payload)).toList();
                Map<ServerKind, List<LoadResult>> rounds = new EnumMap<>(ServerKind.class);
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (ServerKind server : servers) {
                        LoadResult result = run(launcher, generator, settings, scenario, server);
                        rounds.computeIfAbsent(server, s -> new ArrayList<>()).add(result);
                        System.out.printf(Locale.ROOT, "%-28s %-20s round %d: %8.0f msgs/s %7.1f MiB/s p50 %7.1f "
                                        + "p99 %8.1f max %9.1f us, cpu client %.2f server %.2f, warm-up %.0f s%n",
                                scenario.label(),
                                server.label, round, result.messagesPerSecond(), result.mebibytesPerSecond(),
                                result.p50Micros(), result.p99Micros(), result.maxMicros(), result.clientCpuCores(),
                                result.serverCpuCores(), result.warmupSeconds());
                    }
                }
                servers.forEach(server -> measurements.add(new Measurement(scenario, server, rounds.get(server))));
            }
        }

        List<StormMeasurement> storms = storms(launcher, settings);

        String date = LocalDate.now().toString();
        MatrixResults results = new MatrixResults(date, environment(settings), measurements, storms);
        Files.createDirectories(settings.results());
        Files.createDirectories(settings.docs());
        Path json = settings.results().resolve("echo-" + date + ".json");
        Path markdown = settings.results().resolve("echo-" + date + ".md");
        MatrixReport.writeJson(results, json);
        MatrixChart.write(results, settings.docs());
        MatrixReport.writeMarkdown(results, markdown);
        System.out.println();
        System.out.println(Files.readString(markdown));
        System.out.println("Wrote " + json + ", " + markdown + " and the charts in " + settings.docs());
    }

    /** The connect storms of the raw servers, round after round, when {@code bench.storm} is not 0. */
    private static List<StormMeasurement> storms(ServerLauncher launcher, MatrixSettings settings)
            throws IOException, InterruptedException {
        List<ServerKind> servers = settings.servers().stream().filter(ServerKind::storms).toList();
        if (settings.stormConnections() == 0 || servers.isEmpty()) {
            return List.of();
        }
        ConnectStorm storm = new ConnectStorm(settings.stormConnections());
        Map<ServerKind, List<StormResult>> rounds = new EnumMap<>(ServerKind.class);
        for (int round = 1; round <= settings.rounds(); round++) {
            for (ServerKind server : servers) {
                StormResult result = onFreshServer(launcher, server, process -> storm.run(process.socket()));
                rounds.computeIfAbsent(server, s -> new ArrayList<>()).add(result);
                System.out.printf(Locale.ROOT, "connect storm of %d          %-20s round %d: %8.0f conn/s, connected "
                                + "in %.2f s, all answered in %.2f s%n", storm.connections(), server.label, round,
                        result.connectionsPerSecond(), result.connectSeconds(), result.answeredSeconds());
            }
        }
        return servers.stream().map(s -> new StormMeasurement(s, storm.connections(), rounds.get(s))).toList();
    }

    private static LoadResult run(ServerLauncher launcher, LoadGenerator generator, MatrixSettings settings,
            Scenario scenario, ServerKind server) throws IOException, InterruptedException {
        return onFreshServer(launcher, server, process -> generator.run(process.socket(), scenario.payload(),
                scenario.connections(), settings.warmUp(), settings.duration(), process::cpuNanos));
    }

    /** What a run does with its server process. */
    private interface ServerRun<T> {
        T on(ServerProcess process) throws IOException, InterruptedException;
    }

    /** Starts {@code server} in a new JVM with its socket in a new directory, runs {@code run}, removes both. */
    private static <T> T onFreshServer(ServerLauncher launcher, ServerKind server, ServerRun<T> run)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("easynet-bench-");
        try (ServerProcess process = launcher.start(server, directory)) {
            return run.on(process);
        } finally {
            deleteTree(directory);
        }
    }

    private static MatrixResults.Environment environment(MatrixSettings settings) {
        return new MatrixResults.Environment(Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                settings.warmUp(), settings.duration().toMillis() / 1000.0, settings.rounds(),
                settings.clientThreads().name().toLowerCase(Locale.ROOT), settings.serverJvmFlags());
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
