package io.easynet.benchmarks.servers;

/** The line a server under test prints on standard output once its socket accepts, which the runner waits for. */
public final class Ready {

    /** What is printed, alone on its line. */
    public static final String LINE = "READY";

    private Ready() {
    }

    static void announce() {
        System.out.println(LINE);
        System.out.flush();
    }
}
