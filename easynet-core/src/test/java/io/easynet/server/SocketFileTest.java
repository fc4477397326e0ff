package io.easynet.server;

import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server does with the file at its path: checks before bind, mode, removal at stop, and the check that
 * it is still the file the server bound.
 */
@Timeout(20)
class SocketFileTest {

    @TempDir
    Path dir;

    @Test
    void pathLongerThanThePlatformLimitIsRefusedWithItsLength() {
        Path path = dir.resolve("s".repeat(120) + ".sock");
        var server = new AsyncUnixStreamServer<>(path, Servers.LINES, echo());
        int length = path.toString().length();
        assertThatThrownBy(server::start).isInstanceOf(IOException.class)
                .hasMessage("socket path " + path + " is " + length + " bytes long; the platform limit is 107 bytes: "
                        + "use a shorter path or a relative one");
        assertThat(server.isServing()).isFalse();
    }

    @Test
    void pathWhoseDirectoryDoesNotExistIsRefused() {
        Path path = dir.resolve("missing/server.sock");
        var server = new AsyncUnixStreamServer<>(path, Servers.LINES, echo());
        assertThatThrownBy(server::start).isInstanceOf(NoSuchFileException.class)
                .hasMessage(path + ": the directory " + dir.resolve("missing") + " for the socket does not exist");
    }

    @Test
    void fileThatIsNotASocketIsRefusedAndLeftAlone() throws Exception {
        Path path = dir.resolve("server.sock");
        Files.writeString(path, "precious data");
        var server = new AsyncUnixStreamServer<>(path, Servers.LINES, echo());
        assertThatThrownBy(server::start).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessage(path + ": exists and is not a socket; refusing to replace it");
        assertThat(path).hasContent("precious data");
    }

    @Test
    void socketOnWhichALiveServerAnswersIsRefusedAndThatServerKeepsServing() throws Exception {
        try (var live = startLines(dir, echo())) {
            var second = new AsyncUnixStreamServer<>(live.path(), Servers.LINES, echo());
            assertThatThrownBy(second::start).isInstanceOf(BindException.class)
                    .hasMessage("a server is already listening on " + live.path());
            try (var client = lineClient(live)) {
                client.send("still here");
                assertThat(client.receive()).isEqualTo("still here");
            }
        }
    }

    @Test
    void staleSocketLeftByADeadProcessIsReplacedWithAWarning() throws Exception {
        Path path = dir.resolve("server.sock");
        try (var crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        try (var logs = LogCapture.of(SocketFile.class); var server = startLines(dir, echo());
                var client = lineClient(server)) {
            client.send("new server");
            assertThat(client.receive()).isEqualTo("new server");
            assertThat(logs.messages(Level.WARN)).containsExactly("Replaced stale socket file " + path
                    + ": nobody was listening on it (left behind by a process that died?)");
        }
    }

    /** Another process holding the lock (here python3, with the same kind of record lock) is starting there. */
    @Test
    void whileAnotherProcessHoldsThePathsLockTheStartFailsNamingItAndSucceedsOnceItIsGone() throws Exception {
        Path path = dir.resolve("server.sock");
        Path lock = dir.resolve("server.sock.lock");
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys\nf = open(sys.argv[1], 'a')\n"
                + "fcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()", lock.toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(holder.inputReader().readLine()).isEqualTo("locked");
            var server = new AsyncUnixStreamServer<>(path, Servers.LINES, echo());
            assertThatThrownBy(server::start).isInstanceOf(BindException.class).hasMessage("another server is "
                    + "starting on " + path + ": it holds the lock file " + lock);
            assertThat(path).doesNotExist();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        try (var server = startLines(dir, echo()); var client = lineClient(server)) {
            client.send("after the holder left");
            assertThat(client.receive()).isEqualTo("after the holder left");
        }
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void aLockFileLeftByAProcessThatDiedDoesNotStopAStartAndIsGoneOnceTheServerListens() throws Exception {
        Path lock = Files.createFile(dir.resolve("server.sock.lock"));
        try (var server = startLines(dir, echo())) {
            assertThat(server.isServing()).isTrue();
            assertThat(Files.list(dir)).containsExactly(server.path());
        }
        assertThat(lock).doesNotExist();
    }

    @Test
    void aLockPathThatIsNotARegularFileFailsTheStartNamingIt() throws Exception {
        Path lock = Files.createDirectory(dir.resolve("server.sock.lock"));
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        assertThatThrownBy(server::start).isExactlyInstanceOf(IOException.class).hasMessage("cannot lock " + lock
                + " for the socket next to it: it is not a regular file; remove it");
        assertThat(Files.list(dir)).containsExactly(lock);
    }

    @Test
    void socketFileIsRemovedAtStop() throws Exception {
        var server = startLines(dir, echo());
        assertThat(server.path()).exists();
        server.close();
        assertThat(server.path()).doesNotExist();
    }

    @Test
    void fileThatReplacedOursWhileServingIsNotRemovedAtStop() throws Exception {
        var server = startLines(dir, echo());
        Files.delete(server.path());
        Files.writeString(server.path(), "someone else's");
        try (var logs = LogCapture.of(SocketFile.class)) {
            server.close();
            assertThat(logs.messages(Level.INFO)).containsExactly(
                    "Left socket file " + server.path() + " in place: it was replaced since this server bound it");
        }
        assertThat(server.path()).hasContent("someone else's");
    }

    @Test
    void socketFileStateIsIntactOnlyWhileServingOnTheFileTheServerBound() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        assertThat(server.socketFileState()).isEqualTo(SocketFileState.NOT_LISTENING);
        server.start();
        assertThat(server.socketFileState()).isEqualTo(SocketFileState.INTACT);
        server.close();
        assertThat(server.socketFileState()).isEqualTo(SocketFileState.NOT_LISTENING);
    }

    @Test
    void socketFileStateIsMissingOnceTheFileIsDeletedWhileServing() throws Exception {
        try (var server = startLines(dir, echo())) {
            Files.delete(server.path());
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.MISSING);
            assertThat(server.isServing()).isTrue();
        }
    }

    @Test
    void socketFileStateIsReplacedByARegularFileOrByAnotherSocketAtThePath() throws Exception {
        try (var server = startLines(dir, echo())) {
            Files.delete(server.path());
            Files.writeString(server.path(), "someone else's");
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.REPLACED);
            Files.delete(server.path());
            try (var other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(server.path()));
                assertThat(server.socketFileState()).isEqualTo(SocketFileState.REPLACED);
            }
        }
    }

    @Test
    void startedAtIsEmptyBeforeTheStartAndKeptAfterTheStop() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        assertThat(server.startedAt()).isEmpty();
        Instant before = Instant.now();
        server.start();
        Instant startedAt = server.startedAt().orElseThrow();
        assertThat(startedAt).isBetween(before, Instant.now());
        server.close();
        assertThat(server.startedAt()).contains(startedAt);
    }

    @Test
    void configuredModeIsAppliedToTheSocketFile() throws Exception {
        var options = ServerOptions.builder().socketFileMode(0640).build();
        try (var server = startLines(dir, echo(), options)) {
            assertThat(Files.getPosixFilePermissions(server.path()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        }
    }

    @Test
    void modeWithBitsBeyond0777IsRefused() {
        assertThatThrownBy(() -> ServerOptions.builder().socketFileMode(01777)).isInstanceOf(
                IllegalArgumentException.class).hasMessage("socket file mode must be within 0777, got 01777");
    }
}
