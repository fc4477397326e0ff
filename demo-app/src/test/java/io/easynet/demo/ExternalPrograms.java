package io.easynet.demo;

import java.io.IOException;
import java.util.List;

/**
 * Whether a program the tests drive as a user would (python3, socat) is installed: a test without it skips on a
 * developer's machine, while CI installs them all and fails on any skip ({@code scripts/skipped-tests}).
 */
public final class ExternalPrograms {

    private ExternalPrograms() {
    }

    /**
     * Runs {@code command} to the end and tells whether it exited with 0. There is no time limit: a program that
     * exists answers, and the calling test's own timeout covers one that hangs, so a busy machine never turns a
     * slow probe into a skipped test.
     *
     * @param command the probe, such as {@code python3 --version}
     * @return whether the program ran and exited with 0
     */
    public static boolean runs(String... command) {
        try {
            Process probe = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
