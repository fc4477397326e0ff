package io.easynet.server;

import io.easynet.client.UnixStreamClient;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import io.easynet.transport.AbstractUnixAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The child JVM of {@link SocketOptionsMatrixTest}, started under the umask being tested (the umask is the process's):
 * runs a server for every combination of the options that change the socket, and prints one line per combination
 * with what it saw: the file's mode and group, the health, an echo, whether user {@code nobody} gets served, and what
 * is left in the directory after the stop.
 */
final class SocketOptionsMatrixChild {

    static final String PREFIX = "MATRIX ";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Connects as {@code nobody}'s python3 would: prints "refused ..." or "connected:" and the answer. */
    private static final String NOBODY_CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print('refused:' + type(e).__name__)
                sys.exit()
            s.settimeout(10)
            try:
                s.sendall(b'nobody\\n')
                print('connected:' + (s.recv(64).decode().strip() or 'closed'))
            except (ConnectionResetError, BrokenPipeError):
                print('connected:closed')
            """;

    private SocketOptionsMatrixChild() {
    }

    /** Arguments: the directory to bind in (which {@code nobody} can enter) and a group to give socket files. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String group = args[1];
        for (SocketOptionsMatrix.Combination combination : SocketOptionsMatrix.combinations(group)) {
            System.out.println(PREFIX + combination.name() + " " + run(dir, combination));
        }
    }

    private static String run(Path dir, SocketOptionsMatrix.Combination combination) throws Exception {
        Path path = dir.resolve("s.sock");
        SocketAddress address = combination.address() == SocketOptionsMatrix.Address.ABSTRACT
                ? AbstractUnixAddress.of("easynet-matrix-" + ProcessHandle.current().pid())
                : UnixDomainSocketAddress.of(path);
        UnixListener passed = null;
        if (combination.address() == SocketOptionsMatrix.Address.INHERITED) {
            // as systemd binds it, with SocketMode=0600
            passed = UnixTransport.junixsocket().listen(path, 4);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
        UnixListener handed = passed;
        SystemdSockets sockets = new SystemdSockets(() -> handed == null ? List.of() : List.of(handed));
        var server = new AsyncUnixStreamServer<>(address, Servers.LINES, Servers.echo(),
                combination.options().build(), new AtomicLong()::incrementAndGet, sockets);
        StringBuilder seen = new StringBuilder();
        try {
            server.start();
            boolean file = combination.address() != SocketOptionsMatrix.Address.ABSTRACT;
            seen.append("mode=").append(file ? PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
                    LinkOption.NOFOLLOW_LINKS)) : "-");
            seen.append(" group=").append(file ? ((GroupPrincipal) Files.getAttribute(path, "posix:group",
                    LinkOption.NOFOLLOW_LINKS)).getName() : "-");
            seen.append(" state=").append(server.socketFileState());
            try (var client = file ? UnixStreamClient.connect(path, Servers.LINES)
                    : UnixStreamClient.connect((AbstractUnixAddress) address, Servers.LINES)) {
                client.send("echo");
                seen.append(" echo=").append(client.receive(TIMEOUT));
            }
            seen.append(" nobody=").append(file ? asNobody(path) : "-");
        } finally {
            server.close();
            if (passed != null) {
                passed.close();
            }
        }
        seen.append(" stopped=").append(server.socketFileState());
        try (Stream<Path> left = Files.list(dir)) {
            seen.append(" left=").append(left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Files.deleteIfExists(path);
        return seen.toString();
    }

    private static String asNobody(Path path) throws IOException, InterruptedException {
        Process client = new ProcessBuilder("runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", NOBODY_CLIENT,
                path.toString()).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!client.waitFor(20, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            return "timed out";
        }
        return output;
    }
}
