package io.easynet.benchmarks.echo;

/**
 * One cell of the matrix rows: a payload sent over a number of connections.
 *
 * @param payload what each connection sends
 * @param connections how many connections run at once
 */
record Scenario(Payload payload, int connections) {

    String label() {
        return payload.name() + ", " + connections + " conns";
    }
}
