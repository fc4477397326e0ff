package io.easynet.benchmarks.echo;

import java.util.List;

/**
 * A server's connect storms, one per round.
 *
 * @param server the server under test
 * @param connections the connections of each measured storm
 * @param result the round with the median rate
 * @param rounds each round, in the order they ran
 */
record StormMeasurement(ServerKind server, int connections, StormResult result, List<StormResult> rounds) {

    StormMeasurement(ServerKind server, int connections, List<StormResult> rounds) {
        this(server, connections, StormResult.median(rounds), List.copyOf(rounds));
    }
}
