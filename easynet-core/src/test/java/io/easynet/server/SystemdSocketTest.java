package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.internal.transport.ActivatedProcess;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Servers on sockets systemd passed ({@code LISTEN_FDS}): in this JVM with the passed sockets given directly, and
 * once end to end in a child JVM started as systemd starts a socket-activated service.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemdSocketTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<UnixListener> passed = new ArrayList<>();

    @AfterEach
    void closePassedSockets() throws IOException {
        for (UnixListener listener : passed) {
            listener.close();
        }
    }

    @Test
    void aServerWhosePathIsAPassedSocketServesOnItWithoutBindingAndLeavesTheFileAtStop() throws Exception {
        Path path = dir.resolve("server.sock");
        SystemdSockets sockets = passing(path);
        var server = server(path, sockets, ServerOptions.defaults());
        try (LogCapture logs = LogCapture.of(AsyncUnixStreamServer.class); server) {
            server.start();
            try (var client = UnixStreamClient.connect(path, LINES)) {
                client.send("inherited");
                assertThat(client.receive(TIMEOUT)).isEqualTo("inherited");
            }

            assertThat(server.servesSystemdSocket()).isTrue();
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.INTACT);
            assertThat(logs.messages(Level.INFO)).startsWith("Serving on " + path + ", a socket systemd passed");
        }
        assertThat(Files.exists(path)).as("systemd's socket file is never removed").isTrue();
        assertThatThrownBy(() -> UnixStreamClient.connect(path, LINES)).isInstanceOf(ConnectException.class);
    }

    /** The one passed socket may be meant for another server of the process, started later or differently. */
    @Test
    void withInheritSocketTheOnlyPassedSocketElsewhereIsNotTakenAndTheStartFailsNamingIt() throws Exception {
        Path passedPath = dir.resolve("passed.sock");
        Path configured = dir.resolve("configured.sock");
        SystemdSockets sockets = passing(passedPath);
        var server = server(configured, sockets, ServerOptions.builder().requireSystemdSocket(true).build());

        assertThatThrownBy(server::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("requireSystemdSocket is set for the server on " + configured + ", but none of the sockets "
                        + "systemd passed is there: [" + passedPath + "]");
        assertThat(Files.exists(configured)).isFalse();
        try (var owner = server(passedPath, sockets, ServerOptions.defaults())) {
            owner.start();
            assertThat(owner.servesSystemdSocket()).isTrue();
        }
    }

    @Test
    void withInheritSocketAndNoFittingPassedSocketTheStartFailsNamingWhatWasPassed() throws Exception {
        Path path = dir.resolve("server.sock");
        var options = ServerOptions.builder().requireSystemdSocket(true).build();
        var none = server(path, new SystemdSockets(List::of), options);
        assertThatThrownBy(none::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("requireSystemdSocket is set for the server on " + path
                        + ", but systemd passed no socket to this process (LISTEN_PID and LISTEN_FDS do not name it)");

        Path one = dir.resolve("one.sock");
        Path two = dir.resolve("two.sock");
        var elsewhere = server(path, passing(one, two), options);
        assertThatThrownBy(elsewhere::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("requireSystemdSocket is set for the server on " + path
                        + ", but none of the sockets systemd passed is there: [" + one + ", " + two + "]");
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void aPassedSocketServesOneServerOnlyAndOthersBindTheirOwn() throws Exception {
        Path path = dir.resolve("server.sock");
        SystemdSockets sockets = passing(path);
        try (var first = server(path, sockets, ServerOptions.defaults())) {
            first.start();
            try (var other = server(dir.resolve("other.sock"), sockets, ServerOptions.defaults())) {
                other.start();
                assertThat(other.servesSystemdSocket()).isFalse();
            }
        }

        var second = server(path, sockets, ServerOptions.defaults());
        assertThatThrownBy(second::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("the socket systemd passed at " + path + " was already used by an earlier server in this "
                        + "process, which closed it as it stopped; restart the process to serve on it again");
    }

    @Test
    void aChildJvmStartedAsSystemdStartsAServiceServesOnTheSocketItInherits() throws Exception {
        Path path = dir.resolve("activated.sock");
        try (AFUNIXServerSocketChannel socket = AFUNIXServerSocketChannel.open()) {
            socket.bind(AFUNIXSocketAddress.of(path), 4);
            Process child = ActivatedProcess.start(socket, SystemdServerChild.class, path.toString());
            try (var client = UnixStreamClient.connect(path, LINES)) {
                client.send("hello");

                assertThat(client.receive(Duration.ofSeconds(20)))
                        .isEqualTo("hello from " + child.pid() + ", inherited true");
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8)).isZero();
            assertThat(Files.exists(path)).as("the child left systemd's socket file in place").isTrue();
        }
    }

    /** A TCP socket passed before or after the server's used to make adoption fail, closing the server's too. */
    @Test
    void aChildJvmPassedATcpSocketBesideItsOwnSkipsItWithAWarningAndServesOnItsOwn() throws Exception {
        Path path = dir.resolve("activated.sock");
        try (AFUNIXServerSocketChannel socket = AFUNIXServerSocketChannel.open();
                ServerSocketChannel web = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            socket.bind(AFUNIXSocketAddress.of(path), 4);
            web.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Process child = ActivatedProcess.start(socket.getFileDescriptor(), ActivatedProcess.descriptorOf(web),
                    SystemdServerChild.class, path.toString());
            try (var client = UnixStreamClient.connect(path, LINES)) {
                client.send("hello");

                assertThat(client.receive(Duration.ofSeconds(20)))
                        .isEqualTo("hello from " + child.pid() + ", inherited true");
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("Skipping descriptor 4 that systemd passed: descriptor 4 is not a listening "
                    + "Unix-domain stream socket\n");
        }
    }

    @Test
    void whenThePassedSocketsCannotBeTakenAtAllServersThatDoNotAskForOneBindTheirOwn() throws Exception {
        Path path = dir.resolve("server.sock");
        SystemdSockets sockets = new SystemdSockets(() -> {
            throw new UnsupportedOperationException("junixsocket has no native library for this platform");
        });
        try (LogCapture logs = LogCapture.of(SystemdSockets.class);
                var server = server(path, sockets, ServerOptions.defaults())) {
            server.start();

            assertThat(server.servesSystemdSocket()).isFalse();
            assertThat(logs.messages(Level.WARN)).containsExactly("Cannot use the sockets systemd passed: junixsocket "
                    + "has no native library for this platform");
        }
        var inheriting = server(dir.resolve("inheriting.sock"), sockets,
                ServerOptions.builder().requireSystemdSocket(true).build());
        assertThatThrownBy(inheriting::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("requireSystemdSocket is set, but the sockets systemd passed cannot be used: "
                        + "junixsocket has no native library for this platform");
    }

    /** Sockets listening at {@code paths} as if systemd had passed them, closed after the test. */
    private SystemdSockets passing(Path... paths) throws IOException {
        List<UnixListener> listeners = new ArrayList<>();
        for (Path path : paths) {
            listeners.add(UnixTransport.junixsocket().listen(path, 4));
        }
        passed.addAll(listeners);
        return new SystemdSockets(() -> listeners);
    }

    private static AsyncUnixStreamServer<String, String> server(Path path, SystemdSockets sockets,
            ServerOptions options) {
        return new AsyncUnixStreamServer<>(UnixDomainSocketAddress.of(path), LINES, echo(), options,
                new AtomicLong()::incrementAndGet, sockets);
    }
}
