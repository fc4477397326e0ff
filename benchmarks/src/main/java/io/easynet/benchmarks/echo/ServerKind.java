package io.easynet.benchmarks.echo;

import io.easynet.benchmarks.servers.CoreEchoServer;
import io.easynet.benchmarks.servers.JdkBlockingEchoServer;
import io.easynet.benchmarks.servers.NettyEchoServer;

/**
 * A server under test: which implementation, in which mode, and whether it answers the raw or the JSON-lines
 * payloads. Netty's and the JDK's line modes echo the JSON lines as bytes, the reference the core's JSON echo
 * and the demo are compared with.
 */
enum ServerKind {
    /** easynet-core with {@code RawSerializer}. */
    CORE_RAW("easynet-core raw", Family.CORE, false, CoreEchoServer.class.getName(), "raw"),
    /** easynet-core with {@code JsonSerializer.tree()}: each line decoded to a tree and encoded back. */
    CORE_JSON("easynet-core JSON", Family.CORE, true, CoreEchoServer.class.getName(), "line"),
    /** The Spring demo's {@code echo} server (JSON lines), actuator and Prometheus metrics on. */
    DEMO_JSON("Spring demo JSON", Family.DEMO, true, "io.easynet.demo.DemoApplication", ""),
    /** Netty epoll, every read written back. */
    NETTY_RAW("Netty epoll raw", Family.NETTY, false, NettyEchoServer.class.getName(), "raw"),
    /** Netty epoll with {@code LineBasedFrameDecoder}, every line written back. */
    NETTY_LINE("Netty epoll lines", Family.NETTY, true, NettyEchoServer.class.getName(), "line"),
    /** Blocking JDK channels, a platform thread per connection, every read written back. */
    JDK_RAW("JDK blocking raw", Family.JDK, false, JdkBlockingEchoServer.class.getName(), "raw"),
    /** Blocking JDK channels, every complete line written back. */
    JDK_LINE("JDK blocking lines", Family.JDK, true, JdkBlockingEchoServer.class.getName(), "line");

    /** The implementations, one series each in the charts. */
    enum Family {
        CORE("easynet-core"), DEMO("Spring demo"), NETTY("Netty epoll"), JDK("JDK blocking");

        final String label;

        Family(String label) {
            this.label = label;
        }
    }

    final String label;
    final Family family;
    final boolean lines;
    final String mainClass;
    final String mode;

    ServerKind(String label, Family family, boolean lines, String mainClass, String mode) {
        this.label = label;
        this.family = family;
        this.lines = lines;
        this.mainClass = mainClass;
        this.mode = mode;
    }

    /**
     * Whether the connect storm runs against this server: the core's and Netty's raw echo servers, which answer
     * its one byte. Not the JDK baseline: its 64 KiB direct buffer per connection exhausts the server JVM's direct
     * memory (512 MiB, as its heap) long before 10,000 connections, and a thread per connection is not meant for
     * that many.
     */
    boolean storms() {
        return !lines && (family == Family.CORE || family == Family.NETTY);
    }

    /** Whether this server answers {@code payload}: raw servers the raw ones, line servers the JSON lines. */
    boolean serves(Payload payload) {
        return lines == payload.lines();
    }
}
