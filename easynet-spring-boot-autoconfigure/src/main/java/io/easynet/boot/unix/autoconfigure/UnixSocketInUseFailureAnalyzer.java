package io.easynet.boot.unix.autoconfigure;

import java.net.BindException;

import io.easynet.boot.unix.UnixStreamServerException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a server that could not bind because another one listens on its socket path, as Spring Boot's
 * {@code PortInUseFailureAnalyzer} does for ports.
 */
class UnixSocketInUseFailureAnalyzer extends AbstractFailureAnalyzer<UnixStreamServerException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnixStreamServerException cause) {
        BindException bindFailure = findCause(cause, BindException.class);
        if (bindFailure == null) {
            return null;
        }
        String name = cause.getServerName();
        return new FailureAnalysis("Unix stream server '" + name + "' could not bind " + cause.getPath() + ": "
                + bindFailure.getMessage() + ".",
                "Stop the process that listens on " + cause.getPath() + ", or set easynet.unix.servers." + name
                        + ".path to another path. Application contexts that run at the same time, such as cached "
                        + "test contexts, each need their own paths.",
                cause);
    }
}
