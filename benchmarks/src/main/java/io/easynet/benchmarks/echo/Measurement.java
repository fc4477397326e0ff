package io.easynet.benchmarks.echo;

/**
 * One run of the matrix: a server under a scenario, and what it measured.
 *
 * @param scenario the payload and connection count
 * @param server the server under test
 * @param result the figures of the measured window
 */
record Measurement(Scenario scenario, ServerKind server, LoadResult result) {
}
