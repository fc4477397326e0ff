package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class SocketActivationTest {

    private static final long PID = 4242;

    @TempDir
    Path dir;

    @Test
    void theCountIsListenFdsWhenListenPidIsThisProcess() {
        assertThat(SocketActivation.passedCount(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2"), PID)).isEqualTo(2);
    }

    @Test
    void socketsMeantForAnotherProcessOrNotPassedAtAllCountAsNone() {
        assertThat(SocketActivation.passedCount(Map.of("LISTEN_PID", "4243", "LISTEN_FDS", "2"), PID)).isZero();
        assertThat(SocketActivation.passedCount(Map.of("LISTEN_FDS", "2"), PID)).isZero();
        assertThat(SocketActivation.passedCount(Map.of("LISTEN_PID", "4242"), PID)).isZero();
        assertThat(SocketActivation.passedCount(Map.of(), PID)).isZero();
    }

    @Test
    void malformedVariablesAreReportedByName() {
        assertThatThrownBy(() -> SocketActivation.passedCount(Map.of("LISTEN_PID", "me", "LISTEN_FDS", "1"), PID))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("LISTEN_PID must be a number, got \"me\"");
        assertThatThrownBy(() -> SocketActivation.passedCount(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "x"), PID))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("LISTEN_FDS must be a number, got \"x\"");
        assertThatThrownBy(() -> SocketActivation.passedCount(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "-1"), PID))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("LISTEN_FDS must be a count of descriptors, got -1");
    }

    @Test
    void aProcessThatWasNotSocketActivatedGetsNoListeners() throws IOException {
        assertThat(System.getenv("LISTEN_PID")).as("this test JVM is not socket-activated").isNull();

        assertThat(SocketActivation.listeners()).isEmpty();
    }

    @Test
    void eachDescriptorIsAdoptedOnItsOwnSoOneThatFailsLeavesTheOthers() throws IOException {
        try (UnixListener fifth = UnixTransport.junixsocket().listen(dir.resolve("five.sock"), 4)) {
            List<UnixListener> adopted = SocketActivation.adopt(3, 3, descriptor -> switch (descriptor) {
                case 3 -> throw new IOException("descriptor 3 is not a listening Unix-domain stream socket");
                case 4 -> throw new IllegalStateException("descriptor 4 is closed");
                default -> fifth;
            });

            assertThat(adopted).containsExactly(fifth);
        }
    }

    /** Passes a listening socket to a child JVM as systemd does: as descriptor 3, with LISTEN_FDS and LISTEN_PID. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aChildJvmServesOnTheListeningSocketItInherits() throws Exception {
        Path socket = dir.resolve("activated.sock");
        try (AFUNIXServerSocketChannel passed = AFUNIXServerSocketChannel.open()) {
            passed.bind(AFUNIXSocketAddress.of(socket), 4);
            Process child = ActivatedProcess.start(passed, SocketActivationChild.class);
            try (UnixConnection client = UnixTransport.jdk().connect(socket, null, Duration.ofSeconds(20))) {
                client.writeFully(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
                client.shutdownOutput();
                ByteBuffer answer = ByteBuffer.allocate(128);
                while (client.read(answer) >= 0) {
                    assertThat(answer.hasRemaining()).isTrue();
                }

                assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8))
                        .isEqualTo("hello from 1 listener(s) in " + child.pid() + "\n");
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8)).isZero();
        }
    }
}
