package io.easynet.benchmarks.echo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A running server under test: its process, its socket and the file its output goes to. Closing stops it with
 * SIGTERM, then SIGKILL if it lingers, so the next server has the machine to itself.
 *
 * @param process the server's JVM
 * @param socket where it accepts
 * @param log its standard output and error
 */
record ServerProcess(Process process, Path socket, Path log) implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    /** The CPU time the server process has used so far, in nanoseconds (0 if the OS does not say). */
    double cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
