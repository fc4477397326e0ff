package io.easynet.benchmarks.echo;

import java.util.Comparator;
import java.util.List;

/**
 * What one connect storm measured.
 *
 * @param connectionsPerSecond connections served per second: all of them over the time until the last answer
 * @param connectSeconds how long opening every connection took (connects block while the server's backlog is full)
 * @param answeredSeconds from the first connect until every connection had its answer
 * @param loadAverage the machine's 1-minute load average after the storm
 */
record StormResult(double connectionsPerSecond, double connectSeconds, double answeredSeconds, double loadAverage) {

    /** The round with the median rate (a whole round, so its figures belong together). */
    static StormResult median(List<StormResult> rounds) {
        List<StormResult> sorted = rounds.stream()
                .sorted(Comparator.comparingDouble(StormResult::connectionsPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }
}
