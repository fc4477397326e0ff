package io.easynet.benchmarks.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a matrix run as JSON (every figure) and as a markdown table with the ratios and the targets. */
final class MatrixReport {

    private MatrixReport() {
    }

    /**
     * One run as the JSON holds it.
     *
     * @param payload the payload's label
     * @param payloadBytes the request size
     * @param connections the connection count
     * @param server the server under test
     * @param result the median of the rounds
     * @param throughputSpread (max - min) / median of the rounds' msgs/s
     * @param rounds each round's figures
     * @param messagesVsNetty msgs/s over Netty's in the same scenario
     * @param p99VsNetty p99 latency over Netty's in the same scenario
     */
    record Run(String payload, int payloadBytes, int connections, String server, LoadResult result,
            double throughputSpread, List<LoadResult> rounds, @Nullable Double messagesVsNetty,
            @Nullable Double p99VsNetty) {
    }

    /**
     * The JSON document.
     *
     * @param date the day of the run
     * @param environment the machine and settings
     * @param runs every run
     * @param storms the connect storms
     * @param targets the targets evaluated on this run
     */
    record Document(String date, MatrixResults.Environment environment, List<Run> runs,
            List<StormMeasurement> storms, List<Target> targets) {
    }

    static void writeJson(MatrixResults results, Path file) throws IOException {
        List<Run> runs = results.measurements().stream().map(m -> new Run(m.scenario().payload().name(),
                m.scenario().payload().size(), m.scenario().connections(), m.server().name(), m.result(),
                m.throughputSpread(), m.rounds(), results.vsNetty(m, LoadResult::messagesPerSecond).orElse(null),
                results.vsNetty(m, LoadResult::p99Micros).orElse(null))).toList();
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(file, mapper.writeValueAsString(new Document(results.date(), results.environment(), runs,
                results.storms(), results.targets())) + "\n");
    }

    static void writeMarkdown(MatrixResults results, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        MatrixResults.Environment env = results.environment();
        md.append(String.format(Locale.ROOT, "Echo matrix of %s: %d cores, %s, %s; warm-up %s, %.1f s "
                        + "measured per run, median of %d interleaved rounds, %s client threads; server JVMs: `%s`.%n%n",
                results.date(), env.cores(), env.os(), env.java(), describe(env.warmUp()), env.durationSeconds(),
                env.rounds(), env.clientThreads(),
                String.join(" ", env.serverJvmFlags())));
        md.append("| Payload | Conns | Server | msgs/s | spread | MiB/s | p50 µs | p90 µs | p99 µs | max µs "
                + "| msgs/s vs Netty | p99 vs Netty | client CPU | server CPU | warm-up s | load |\n");
        md.append("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Measurement m : results.measurements()) {
            LoadResult r = m.result();
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %.0f%% | %.1f | %.1f | %.1f | %.1f | %.0f | %s | %s "
                            + "| %.2f | %.2f | %.0f | %.1f |%n", m.scenario().payload().name(), m.scenario().connections(),
                    m.server().label, r.messagesPerSecond(), 100 * m.throughputSpread(), r.mebibytesPerSecond(), r.p50Micros(), r.p90Micros(),
                    r.p99Micros(), r.maxMicros(),
                    results.vsNetty(m, LoadResult::messagesPerSecond).map(MatrixReport::ratio).orElse("–"),
                    results.vsNetty(m, LoadResult::p99Micros).map(MatrixReport::ratio).orElse("–"),
                    r.clientCpuCores(), r.serverCpuCores(), r.warmupSeconds(), r.loadAverage()));
        }
        md.append("\nFigures are medians of the rounds; spread is (max - min) / median of the rounds' msgs/s. CPU "
                + "columns are cores used during the measured window (2.00 = the whole machine); load is the machine's "
                + "1-minute load average after it: above 2, other processes competed for the cores. Warm-up is how long "
                + "the run warmed up before its measured window, median of the rounds.\n\n");
        if (!results.storms().isEmpty()) {
            md.append("| Connect storm | Server | conn/s | connected in s | all answered in s | conn/s vs Netty | load |\n");
            md.append("|--:|---|--:|--:|--:|--:|--:|\n");
            for (StormMeasurement s : results.storms()) {
                StormResult r = s.result();
                md.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f | %.2f | %.2f | %s | %.1f |%n",
                        s.connections(), s.server().label, r.connectionsPerSecond(), r.connectSeconds(),
                        r.answeredSeconds(), results.stormVsNetty(s).map(MatrixReport::ratio).orElse("–"),
                        r.loadAverage()));
            }
            md.append("\nA connect storm opens the connections one after the other from one thread, each writing one "
                    + "byte once connected, and is timed until every one has its byte back; each server with its "
                    + "default backlog. The round with the median rate.\n\n");
        }
        md.append("| Target | Measured | Bound | Met |\n|---|--:|--:|---|\n");
        for (Target t : results.targets()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s |%n", t.name(), t.unit().format(t.value()),
                    t.atMost() ? "≤" : "≥", t.unit().format(t.limit()), t.met() ? "yes" : "**no**"));
        }
        Files.writeString(file, md.toString());
    }

    private static String describe(WarmUp warmUp) {
        if (warmUp.minimum().equals(warmUp.maximum())) {
            return String.format(Locale.ROOT, "%.1f s", warmUp.minimum().toMillis() / 1000.0);
        }
        return String.format(Locale.ROOT, "%.0f-%.0f s, until %d successive seconds are within %.0f%% of their mean",
                warmUp.minimum().toMillis() / 1000.0, warmUp.maximum().toMillis() / 1000.0, warmUp.windows(),
                100 * warmUp.tolerance());
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }
}
