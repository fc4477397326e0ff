package io.easynet.boot.unix.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a server that has no socket path, naming the property to set. */
class MissingUnixSocketPathFailureAnalyzer extends AbstractFailureAnalyzer<MissingUnixSocketPathException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingUnixSocketPathException cause) {
        String name = cause.getServerName();
        return new FailureAnalysis(cause.getMessage() + ".",
                "Set easynet.unix.servers." + name + ".path (for example to /run/myapp/" + name
                        + ".sock), or give the path in @UnixStreamHandler(name = \"" + name
                        + "\", path = \"...\"), or turn the server off with easynet.unix.servers." + name
                        + ".enabled=false.",
                cause);
    }
}
