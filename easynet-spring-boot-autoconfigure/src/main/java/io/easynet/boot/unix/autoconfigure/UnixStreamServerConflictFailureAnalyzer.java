package io.easynet.boot.unix.autoconfigure;

import io.easynet.boot.unix.UnixStreamServerConflictException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains two handlers with one server name, or two servers with one socket path. */
class UnixStreamServerConflictFailureAnalyzer extends AbstractFailureAnalyzer<UnixStreamServerConflictException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnixStreamServerConflictException cause) {
        String description = "Two Unix stream servers conflict: the " + cause.getConflict() + " is claimed by "
                + String.join(" and ", cause.getClaimants()) + ".";
        String action = cause.getConflict().startsWith("server name")
                ? "Give each @UnixStreamHandler its own name, or remove one of the handlers."
                : "Give each server its own easynet.unix.servers.<name>.path, or disable one with "
                        + "easynet.unix.servers.<name>.enabled=false.";
        return new FailureAnalysis(description, action, cause);
    }
}
