package io.easynet.benchmarks.servers;

/**
 * What a server under test echoes: raw bytes as they arrive, or newline-terminated lines (the JSON-lines
 * payload); the core echoes JSON documents decoded and encoded again, the baselines echo lines as bytes.
 */
public enum EchoMode {
    /** Every byte read is written back. */
    RAW,
    /** Every newline-terminated line is written back whole. */
    LINE;

    static EchoMode parse(String argument) {
        return valueOf(argument.toUpperCase(java.util.Locale.ROOT));
    }
}
