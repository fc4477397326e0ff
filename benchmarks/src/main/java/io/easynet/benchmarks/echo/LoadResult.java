package io.easynet.benchmarks.echo;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one closed-loop run measured, over the measured window only.
 *
 * @param messagesPerSecond completed exchanges per second, all connections together
 * @param mebibytesPerSecond request bytes per second, in MiB
 * @param p50Micros median exchange latency (request written to answer read), in microseconds
 * @param p90Micros 90th percentile latency
 * @param p99Micros 99th percentile latency
 * @param maxMicros the slowest exchange
 * @param clientCpuCores CPU the load generator's process used, in cores (2.0 is all of a 2-core machine)
 * @param serverCpuCores CPU the server process used, in cores
 * @param warmupSeconds how long the run warmed up before its measured window (see {@link WarmUp})
 * @param loadAverage the machine's 1-minute load average at the end of the window: above the core count, other
 *     processes competed with this run
 */
public record LoadResult(double messagesPerSecond, double mebibytesPerSecond, double p50Micros, double p90Micros,
        double p99Micros, double maxMicros, double clientCpuCores, double serverCpuCores, double warmupSeconds, double loadAverage) {

    /** Each figure's median over {@code rounds} (figure by figure, so not one of the rounds as a whole). */
    static LoadResult median(List<LoadResult> rounds) {
        return new LoadResult(median(rounds, LoadResult::messagesPerSecond),
                median(rounds, LoadResult::mebibytesPerSecond), median(rounds, LoadResult::p50Micros),
                median(rounds, LoadResult::p90Micros), median(rounds, LoadResult::p99Micros),
                median(rounds, LoadResult::maxMicros), median(rounds, LoadResult::clientCpuCores),
                median(rounds, LoadResult::serverCpuCores), median(rounds, LoadResult::warmupSeconds),
                median(rounds, LoadResult::loadAverage));
    }

    private static double median(List<LoadResult> rounds, ToDoubleFunction<LoadResult> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
