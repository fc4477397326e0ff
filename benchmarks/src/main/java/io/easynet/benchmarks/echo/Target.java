package io.easynet.benchmarks.echo;

/**
 * One of the targets, a ratio between two runs of the same matrix invocation.
 *
 * @param name what is compared with what
 * @param ratio the measured ratio
 * @param limit the bound the ratio must respect
 * @param atMost whether the ratio must stay at or below the limit (latency) rather than reach it (throughput)
 */
record Target(String name, double ratio, double limit, boolean atMost) {

    /** Whether this run meets the target. */
    boolean met() {
        return atMost ? ratio <= limit : ratio >= limit;
    }
}
