package io.easynet.benchmarks.echo;

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
 */
public record LoadResult(double messagesPerSecond, double mebibytesPerSecond, double p50Micros, double p90Micros,
        double p99Micros, double maxMicros, double clientCpuCores, double serverCpuCores) {
}
