package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import com.sun.security.auth.module.UnixSystem;
import io.easynet.internal.transport.UnixConnection;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import io.easynet.transport.AbstractUnixAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The socket file's mode and group are in place before the file appears at its path, never after. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketFilePermissionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /**
     * The bind itself is observed: a chmod after binding in place would leave the socket at its path with the umask's
     * mode (0755 under the usual umask 022) until the chmod, a window too short for a watcher to catch reliably.
     */
    @Test
    void atBindTimeNothingIsAtThePathAndTheSocketIsInADirectoryOnlyItsOwnerCanEnter() throws Exception {
        Path path = dir.resolve("server.sock");
        List<String> atBind = new ArrayList<>();
        UnixTransport observed = new ObservingTransport(bound -> {
            atBind.add("at the path: " + Files.exists(path, LinkOption.NOFOLLOW_LINKS));
            atBind.add("directory: " + bound.getParent().getParent().equals(dir) + " "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(bound.getParent())));
        });

        try (UnixListener listener = SocketFile.listen(path, observed, 4,
                PosixFilePermissions.fromString("rw-------"), null)) {
            assertThat(atBind).containsExactly("at the path: false", "directory: true rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            assertThat(Files.list(dir)).as("the private directory it was bound in is gone").containsExactly(path);
        }
    }

    @Test
    void rightAfterStartTheServersSocketFileHasItsModeAndServes() throws Exception {
        var options = ServerOptions.builder().socketFileMode(0600).build();
        try (var server = startLines(dir, echo(), options); var client = Servers.lineClient(server)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())))
                    .isEqualTo("rw-------");

            client.send("through the linked socket");
            assertThat(client.receive(TIMEOUT)).isEqualTo("through the linked socket");
        }
    }

    /**
     * junixsocket's accept closed the listener once the path it was bound at (in the private directory) was gone: the
     * server logged "Serving on" while every client was refused.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("junixsocketFeatures")
    void withAJunixsocketFeatureAndAModeTheServerAcceptsAndServes(String feature, ServerOptions.Builder options)
            throws Exception {
        try (var server = startLines(dir, echo(), options.socketFileMode(0600).build());
                var client = Servers.lineClient(server)) {
            client.send("through junixsocket with a mode");
            assertThat(client.receive(TIMEOUT)).isEqualTo("through junixsocket with a mode");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())))
                    .isEqualTo("rw-------");
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.INTACT);
        }
    }

    static Stream<Arguments> junixsocketFeatures() {
        return Stream.of(Arguments.of("ancillary data", ServerOptions.builder().ancillaryBufferSize(1024)),
                Arguments.of("peer credentials", ServerOptions.builder().peerCredentials(true)),
                Arguments.of("access policy", ServerOptions.builder().accessPolicy(AccessPolicy.sameUserOnly())));
    }

    @Test
    void theGroupIsAppliedTogetherWithTheMode() throws Exception {
        String group = aGroupOtherThanThePrimaryOne();
        var options = ServerOptions.builder().socketFileMode(0660).socketFileGroup(group).build();
        try (var server = startLines(dir, echo(), options)) {
            GroupPrincipal owner = (GroupPrincipal) Files.getAttribute(server.path(), "posix:group",
                    LinkOption.NOFOLLOW_LINKS);

            assertThat(owner.getName()).isEqualTo(group);
            assertThat((Integer) Files.getAttribute(server.path(), "unix:mode") & 0777).isEqualTo(0660);
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.INTACT);
        }
    }

    @Test
    void anUnknownGroupFailsTheStartNamingItAndLeavesNothingBehind() throws IOException {
        Path path = dir.resolve("server.sock");
        var server = new AsyncUnixStreamServer<>(path, LINES, echo(),
                ServerOptions.builder().socketFileGroup("easynet-no-such-group").build());

        assertThatThrownBy(server::start).isExactlyInstanceOf(IOException.class)
                .hasMessage("cannot give the socket file " + path + " the group easynet-no-such-group: no such group");
        assertThat(server.isServing()).isFalse();
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void aStaleSocketFileIsReplacedAndALiveServerRefusedAsWithoutAMode() throws Exception {
        Path path = dir.resolve("server.sock");
        UnixTransport.jdk().listen(path, 1).close();
        var options = ServerOptions.builder().socketFileMode(0600).build();
        try (LogCapture logs = LogCapture.of(SocketFile.class); var server = startLines(dir, echo(), options)) {
            assertThat(logs.messages(Level.WARN)).containsExactly("Replaced stale socket file " + path + ": nobody was "
                    + "listening on it (left behind by a process that died?)");
            var second = new AsyncUnixStreamServer<>(path, LINES, echo(), options);
            assertThatThrownBy(second::start).isInstanceOf(java.net.BindException.class)
                    .hasMessage("a server is already listening on " + path);
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.INTACT);
        }
    }

    @Test
    void aBlankGroupIsRefused() {
        assertThatThrownBy(() -> ServerOptions.builder().socketFileGroup(" ").build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("socketFileGroup must name a group, got \" \"");
    }

    /** The JDK transport, calling back right after each bind. */
    private record ObservingTransport(BindObserver observer) implements UnixTransport {

        @Override
        public UnixListener listen(Path path, int backlog) throws IOException {
            UnixListener listener = UnixTransport.jdk().listen(path, backlog);
            observer.bound(path);
            return listener;
        }

        @Override
        public UnixListener listen(AbstractUnixAddress address, int backlog) {
            throw new AssertionError("not used");
        }

        @Override
        public UnixConnection connect(Path path, @Nullable Path localPath, Duration timeout) {
            throw new AssertionError("not used");
        }

        @Override
        public UnixConnection connect(AbstractUnixAddress address, Duration timeout) {
            throw new AssertionError("not used");
        }
    }

    @FunctionalInterface
    private interface BindObserver {

        void bound(Path path) throws IOException;
    }

    /** A group this user may give files: a supplementary one, or for root any group but its own. */
    private static String aGroupOtherThanThePrimaryOne() throws IOException, InterruptedException {
        String primary = run("id", "-gn");
        List<String> candidates = new ArrayList<>(Arrays.asList(run("id", "-Gn").split(" ")));
        if (new UnixSystem().getUid() == 0) {
            for (String line : Files.readAllLines(Path.of("/etc/group"))) {
                candidates.add(line.substring(0, line.indexOf(':')));
            }
        }
        candidates.remove(primary);
        assumeThat(candidates).as("a group other than " + primary + " to give the socket file").isNotEmpty();
        return candidates.getFirst();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).isZero();
        return output;
    }
}
