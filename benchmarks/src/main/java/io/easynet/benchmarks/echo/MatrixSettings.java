package io.easynet.benchmarks.echo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the matrix runs, from system properties: {@code bench.warmup} (the shortest warm-up, e.g. {@code 2s}),
 * {@code bench.warmupMax} (the longest, {@code 30s}; the warm-up ends between the two once the msgs/s of
 * {@code bench.warmupWindows} successive seconds, 3, are within {@code bench.warmupTolerance}, 0.05, of their
 * mean; see {@link WarmUp}), {@code bench.duration} (e.g. {@code 3s}), {@code bench.rounds} (runs per server and
 * scenario, the median is reported), {@code bench.quick} (a fixed 1 s warm-up, 1 s measured and one round, for
 * development), {@code bench.connections} (e.g. {@code 10,100}; empty for the connect storms alone),
 * {@code bench.clientThreads} ({@code virtual} or {@code platform}), {@code bench.storm} (connections of the connect storm
 * run against each raw server after the echo runs, 10000; 0 for none), {@code bench.only} (server names such as
 * {@code CORE_RAW,NETTY_RAW}; empty for all), {@code bench.results} and {@code bench.docs} (output directories),
 * {@code bench.demoClasses} (the demo's classes directory), {@code bench.demoArgs} (more demo arguments, e.g.
 * {@code --easynet.unix.servers.echo.metrics.per-client=false} to see what a meter costs) and
 * {@code bench.serverJvmFlags}.
 *
 * @param warmUp how long each run warms up before measuring
 * @param duration how long each run measures
 * @param rounds how many runs of each server in each scenario
 * @param connections the connection counts of the matrix
 * @param clientThreads what runs the client connections
 * @param servers the servers under test
 * @param stormConnections the connections of each measured connect storm, 0 for no storm
 * @param results where the JSON and markdown results go
 * @param docs where the charts go
 * @param demoClasses the demo's classes directory
 * @param serverJvmFlags the flags of every server JVM
 * @param demoArgs arguments added to the demo's {@code --server.port=0}
 */
record MatrixSettings(WarmUp warmUp, Duration duration, int rounds, List<Integer> connections,
        ClientThreads clientThreads, Set<ServerKind> servers, int stormConnections, Path results, Path docs, Path demoClasses, List<String> serverJvmFlags,
        List<String> demoArgs) {

    static final String DEFAULT_SERVER_JVM_FLAGS =
            "-Xms512m -Xmx512m -XX:+UseG1GC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

    static MatrixSettings fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        String only = System.getProperty("bench.only", "").trim();
        Set<ServerKind> servers = only.isEmpty() ? EnumSet.allOf(ServerKind.class)
                : EnumSet.copyOf(Arrays.stream(only.split(",")).map(s -> ServerKind.valueOf(s.trim())).toList());
        return new MatrixSettings(
                quick ? WarmUp.fixed(Duration.ofSeconds(1)) : warmUpFromProperties(),
                quick ? Duration.ofSeconds(1) : duration(System.getProperty("bench.duration", "3s")),
                quick ? 1 : Integer.parseInt(System.getProperty("bench.rounds", "3").trim()),
                Arrays.stream(System.getProperty("bench.connections", "10,100").split(","))
                        .filter(s -> !s.isBlank()).map(s -> Integer.valueOf(s.trim())).toList(),
                ClientThreads.parse(System.getProperty("bench.clientThreads", "virtual")),
                servers,
                quick ? 1000 : Integer.parseInt(System.getProperty("bench.storm", "10000").trim()),
                Path.of(System.getProperty("bench.results", "benchmarks/results")),
                Path.of(System.getProperty("bench.docs", "docs")),
                Path.of(System.getProperty("bench.demoClasses", "demo-app/target/classes")),
                words(System.getProperty("bench.serverJvmFlags", DEFAULT_SERVER_JVM_FLAGS)),
                words(System.getProperty("bench.demoArgs", "")));
    }

    private static WarmUp warmUpFromProperties() {
        return new WarmUp(duration(System.getProperty("bench.warmup", "2s")),
                duration(System.getProperty("bench.warmupMax", "30s")),
                Integer.parseInt(System.getProperty("bench.warmupWindows", "3").trim()),
                Double.parseDouble(System.getProperty("bench.warmupTolerance", "0.05").trim()));
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    /** Parses {@code 500ms}, {@code 3s} or an ISO-8601 duration such as {@code PT3S}. */
    private static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s") && !value.startsWith("pt")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Duration.parse(text.trim());
    }
}
