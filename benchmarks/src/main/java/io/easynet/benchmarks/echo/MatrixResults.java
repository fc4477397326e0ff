package io.easynet.benchmarks.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The measurements of one matrix run and the ratios computed from them: every ratio compares runs of the same
 * invocation, since the machine is shared and absolute figures drift between invocations.
 *
 * @param date the day of the run (names the result files)
 * @param environment the machine, JDK and settings, as written into the JSON
 * @param measurements every run, in the order they ran
 * @param storms the connect storms, one per raw server
 */
record MatrixResults(String date, Environment environment, List<Measurement> measurements,
        List<StormMeasurement> storms) {

    /** Issue 9's bound on the rate at which the core takes on a storm of new connections. */
    static final double STORM_TARGET = 20_000;

    /**
     * Where and how the matrix ran.
     *
     * @param cores the processors the JVM sees
     * @param os the operating system and kernel
     * @param java the JDK version
     * @param warmUp how each run warmed up
     * @param durationSeconds the measured window of each run
     * @param rounds the runs of each server in each scenario, whose median is reported
     * @param clientThreads what ran the client connections
     * @param serverJvmFlags the flags of every server JVM
     */
    record Environment(int cores, String os, String java, WarmUp warmUp, double durationSeconds, int rounds,
            String clientThreads, List<String> serverJvmFlags) {
    }

    Optional<Measurement> find(Scenario scenario, ServerKind server) {
        return measurements.stream().filter(m -> m.scenario().equals(scenario) && m.server() == server).findFirst();
    }

    Optional<Measurement> find(String payload, int connections, ServerKind server) {
        return measurements.stream().filter(m -> m.scenario().payload().name().equals(payload)
                && m.scenario().connections() == connections && m.server() == server).findFirst();
    }

    /** The Netty run of the same scenario: the raw server for raw payloads, the line server for JSON lines. */
    Optional<Measurement> netty(Scenario scenario) {
        return find(scenario, scenario.payload().lines() ? ServerKind.NETTY_LINE : ServerKind.NETTY_RAW);
    }

    /**
     * {@code figure} of {@code measured} over that of {@code reference}, or empty when the reference is 0 (a run
     * too short to complete an exchange), so no report shows an infinite ratio.
     */
    static Optional<Double> ratio(Measurement measured, Measurement reference, ToDoubleFunction<LoadResult> figure) {
        double divisor = figure.applyAsDouble(reference.result());
        return divisor > 0 ? Optional.of(figure.applyAsDouble(measured.result()) / divisor) : Optional.empty();
    }

    /** {@code figure} of {@code measured} over that of Netty in the same scenario, when there is one. */
    Optional<Double> vsNetty(Measurement measured, ToDoubleFunction<LoadResult> figure) {
        return netty(measured.scenario()).flatMap(n -> ratio(measured, n, figure));
    }

    /** The targets that this run can evaluate (those whose runs all took place). */
    List<Target> targets() {
        List<Integer> connections = measurements.stream().map(m -> m.scenario().connections()).distinct().toList();
        List<Target> targets = new ArrayList<>();
        throughput(targets, EchoMatrix.RAW_64, 10, 1.0);
        throughput(targets, EchoMatrix.RAW_1K, 10, 1.0);
        throughput(targets, EchoMatrix.RAW_10K, 10, 0.95);
        for (int n : connections) {
            for (String payload : List.of(EchoMatrix.RAW_64, EchoMatrix.RAW_1K, EchoMatrix.RAW_10K)) {
                ratio(targets, "core raw p99 latency vs Netty, " + payload + ", " + n + " conns",
                        find(payload, n, ServerKind.CORE_RAW), find(payload, n, ServerKind.NETTY_RAW),
                        LoadResult::p99Micros, 1.2, true);
            }
        }
        for (int n : connections) {
            ratio(targets, "core JSON 1 KiB lines vs core raw 1 KiB, msgs/s, " + n + " conns",
                    find(EchoMatrix.JSON_1K, n, ServerKind.CORE_JSON), find(EchoMatrix.RAW_1K, n, ServerKind.CORE_RAW),
                    LoadResult::messagesPerSecond, 0.8, false);
        }
        for (int n : connections) {
            ratio(targets, "Spring demo (metrics on) vs core JSON, msgs/s, " + n + " conns",
                    find(EchoMatrix.JSON_1K, n, ServerKind.DEMO_JSON), find(EchoMatrix.JSON_1K, n, ServerKind.CORE_JSON),
                    LoadResult::messagesPerSecond, 0.95, false);
        }
        storms.stream().filter(s -> s.server() == ServerKind.CORE_RAW).findFirst().ifPresent(s -> targets.add(
                new Target("core raw connect storm of " + s.connections() + ", connections/s",
                        s.result().connectionsPerSecond(), STORM_TARGET, false, Target.Unit.CONNECTIONS_PER_SECOND)));
        return targets;
    }

    /** {@code storm}'s rate over Netty's raw server's in the same run, when both stormed. */
    Optional<Double> stormVsNetty(StormMeasurement storm) {
        return storms.stream().filter(s -> s.server() == ServerKind.NETTY_RAW).findFirst()
                .map(netty -> storm.result().connectionsPerSecond() / netty.result().connectionsPerSecond());
    }

    private void throughput(List<Target> targets, String payload, int n, double limit) {
        ratio(targets, "core raw msgs/s vs Netty, " + payload + ", " + n + " conns",
                find(payload, n, ServerKind.CORE_RAW), find(payload, n, ServerKind.NETTY_RAW),
                LoadResult::messagesPerSecond, limit, false);
    }

    private static void ratio(List<Target> targets, String name, Optional<Measurement> measured,
            Optional<Measurement> reference, ToDoubleFunction<LoadResult> figure, double limit,
            boolean atMost) {
        if (measured.isPresent() && reference.isPresent()) {
            ratio(measured.get(), reference.get(), figure)
                    .ifPresent(ratio -> targets.add(new Target(name, ratio, limit, atMost, Target.Unit.RATIO)));
        }
    }
}
