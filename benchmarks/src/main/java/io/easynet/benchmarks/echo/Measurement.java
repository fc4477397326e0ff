package io.easynet.benchmarks.echo;

import java.util.List;

/**
 * One cell of the matrix: a server under a scenario, measured in several rounds.
 *
 * @param scenario the payload and connection count
 * @param server the server under test
 * @param result the median of the rounds, figure by figure
 * @param rounds each round's figures, in the order they ran
 */
record Measurement(Scenario scenario, ServerKind server, LoadResult result, List<LoadResult> rounds) {

    Measurement(Scenario scenario, ServerKind server, List<LoadResult> rounds) {
        this(scenario, server, LoadResult.median(rounds), List.copyOf(rounds));
    }

    /** How far apart the rounds' msgs/s are, relative to the median: (max - min) / median. */
    double throughputSpread() {
        double min = rounds.stream().mapToDouble(LoadResult::messagesPerSecond).min().orElse(0);
        double max = rounds.stream().mapToDouble(LoadResult::messagesPerSecond).max().orElse(0);
        return result.messagesPerSecond() > 0 ? (max - min) / result.messagesPerSecond() : 0;
    }
}
