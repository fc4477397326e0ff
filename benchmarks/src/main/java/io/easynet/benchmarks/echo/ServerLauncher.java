package io.easynet.benchmarks.echo;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts a server under test in its own JVM, with the same JVM flags for every server, and waits until its
 * socket accepts a connection. The demo runs from its classes directory and the benchmarks' runtime classpath
 * (which holds the demo's dependencies), on a free HTTP port, with its sockets in the run's directory.
 *
 * @param java the {@code java} executable (the one running the matrix, so the JDK 25 toolchain)
 * @param jvmFlags the flags of every server JVM (heap, GC, native access)
 * @param classpath the benchmarks' runtime classpath
 * @param demoClasses the demo's compiled classes and resources
 * @param demoArgs more arguments for the demo (Spring properties)
 */
record ServerLauncher(String java, List<String> jvmFlags, String classpath, Path demoClasses, List<String> demoArgs) {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** slf4j-nop silences the core and Netty; the demo needs Logback, which Spring Boot insists on alone. */
    private static final String NOP_PROVIDER = "-Dslf4j.provider=org.slf4j.nop.NOPServiceProvider";

    /** Starts {@code kind} with its socket in {@code directory}; returns once the socket accepts. */
    ServerProcess start(ServerKind kind, Path directory) throws IOException, InterruptedException {
        Path socket = directory.resolve("echo.sock");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (kind == ServerKind.DEMO_JSON) {
            if (!Files.isDirectory(demoClasses)) {
                throw new IOException("the demo's classes are not in " + demoClasses + ": build demo-app first "
                        + "(./mvnw -Pbench -pl benchmarks -am verify does) or set -Dbench.demoClasses");
            }
            String demoPath = Stream.concat(Stream.of(demoClasses.toString()),
                            Stream.of(classpath.split(File.pathSeparator)).filter(e -> !e.contains("slf4j-nop")))
                    .collect(Collectors.joining(File.pathSeparator));
            command.addAll(List.of("-cp", demoPath, kind.mainClass, "--server.port=0"));
            command.addAll(demoArgs);
            builder.environment().put("EASYNET_DEMO_DIR", directory.toString());
        } else {
            command.addAll(List.of(NOP_PROVIDER, "-cp", classpath, kind.mainClass, socket.toString(), kind.mode));
        }
        Path log = directory.resolve("server.log");
        Process process = builder.command(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, socket, log);
        try {
            awaitAccepting(server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void awaitAccepting(ServerProcess server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!server.process().isAlive()) {
                throw new IOException("the server exited with " + server.process().exitValue() + ":\n"
                        + Files.readString(server.log()));
            }
            if (Files.exists(server.socket())) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(UnixDomainSocketAddress.of(server.socket()));
                    return;
                } catch (IOException notYet) {
                    // bound but not listening yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the server did not accept on " + server.socket() + " within "
                        + START_TIMEOUT + ":\n" + Files.readString(server.log()));
            }
            Thread.sleep(50);
        }
    }
}
