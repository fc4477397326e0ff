package io.easynet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A separate thread, so that a test stuck in an uninterruptible wait still fails instead of hanging the build.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdkUnixTransportTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final UnixTransport transport = UnixTransport.jdk();

    @TempDir
    Path dir;

    @Test
    void connectToAMissingPathFailsWithAMessageNamingThePath() {
        Path missing = dir.resolve("missing.sock");

        assertThatThrownBy(() -> transport.connect(missing, null, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(SocketException.class)
                .hasMessage("cannot connect to " + missing + ": No such file or directory")
                .hasCauseExactlyInstanceOf(SocketException.class);
    }

    @Test
    void connectToASocketFileWithNoListenerIsConnectException() throws IOException {
        Path socket = dir.resolve("stale.sock");
        transport.listen(socket, 4).close();
        assertThat(Files.exists(socket)).as("closing the listener leaves its file behind").isTrue();

        assertThatThrownBy(() -> transport.connect(socket, null, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("cannot connect to " + socket + ": ")
                .hasMessageContaining("refused")
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void listeningOnAnExistingPathFailsWithAMessageNamingThePath() throws IOException {
        Path socket = dir.resolve("taken.sock");
        try (UnixListener first = transport.listen(socket, 4)) {
            assertThatThrownBy(() -> transport.listen(socket, 4))
                    .isExactlyInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot listen on " + socket + ": ");
            assertThat(first.socket().getOption(StandardSocketOptions.SO_RCVBUF)).isPositive();
        }
    }

    @Test
    void connectBindsTheClientAtTheLocalPathAndThePeerSeesIt() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path local = dir.resolve("client.sock");
        try (UnixListener listener = transport.listen(socket, 4);
                UnixConnection client = transport.connect(socket, local, CONNECT_TIMEOUT);
                UnixConnection accepted = listener.accept()) {
            assertThat(Files.exists(local)).isTrue();
            assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
            assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
            assertThat(client.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
            assertThat(accepted.localAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        }
    }

    @Test
    void unboundClientIsUnnamed() throws IOException {
        Path socket = dir.resolve("server.sock");
        try (UnixListener listener = transport.listen(socket, 4);
                UnixConnection client = transport.connect(socket, null, CONNECT_TIMEOUT);
                UnixConnection accepted = listener.accept()) {
            assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
            assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
        }
    }

    @Test
    void bytesWrittenAtOneEndAreReadAtTheOtherAndShutdownOutputEndsTheStream() throws IOException {
        Path socket = dir.resolve("server.sock");
        try (UnixListener listener = transport.listen(socket, 4);
                UnixConnection client = transport.connect(socket, null, CONNECT_TIMEOUT);
                UnixConnection accepted = listener.accept()) {
            client.writeFully(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            client.shutdownOutput();

            ByteBuffer received = ByteBuffer.allocate(16);
            while (accepted.read(received) >= 0) {
                assertThat(received.position()).isLessThanOrEqualTo(3);
            }
            assertThat(received.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(accepted.isOpen()).isTrue();
        }
    }

    @Test
    void connectTimesOutWhileTheServersBacklogIsFull() throws IOException {
        Path socket = dir.resolve("busy.sock");
        Duration timeout = Duration.ofMillis(500);
        List<UnixConnection> queued = new ArrayList<>();
        try (UnixListener listener = transport.listen(socket, 1)) {
            SocketTimeoutException timedOut = null;
            // Never accepted: the kernel queues a few connections, then connect blocks until the timeout.
            for (int i = 0; i < 16 && timedOut == null; i++) {
                try {
                    queued.add(transport.connect(socket, null, timeout));
                } catch (SocketTimeoutException e) {
                    timedOut = e;
                }
            }
            assertThat(timedOut).as("a connect timed out once the backlog was full").isNotNull();
            assertThat(timedOut).hasMessage("connect to " + socket + " timed out after 500 ms");
            assertThat(queued).isNotEmpty();
        } finally {
            for (UnixConnection connection : queued) {
                connection.close();
            }
        }
    }

    @Test
    void localPathThatCannotBeBoundIsNamedInTheError() throws Exception {
        Path serverPath = dir.resolve("server.sock");
        Path taken = dir.resolve("taken.sock");
        try (UnixListener listener = UnixTransport.jdk().listen(serverPath, 10);
                UnixListener occupant = UnixTransport.jdk().listen(taken, 1)) {
            assertThatThrownBy(() -> UnixTransport.jdk().connect(serverPath, taken, Duration.ofSeconds(5)))
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot bind the client socket at " + taken + ": ");
        }
    }
}
