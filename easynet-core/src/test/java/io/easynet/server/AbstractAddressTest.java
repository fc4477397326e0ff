package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.easynet.client.UnixStreamClient;
import io.easynet.transport.AbstractUnixAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server on a name in Linux's abstract namespace: no file, so no mode, group or clean-up. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AbstractAddressTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AbstractUnixAddress address = AbstractUnixAddress.of("easynet-test-" + UUID.randomUUID());

    @Test
    void aServerOnAnAbstractNameServesWithoutAFileAndFreesTheNameAtStop() throws Exception {
        var seen = new CopyOnWriteArrayList<Object>();
        var handler = Servers.echoAfter(client -> {
            seen.add(client.localAddress());
            seen.add(client.peerCredentials().pid());
        });
        try (var server = new AsyncUnixStreamServer<>(address, LINES, handler, ServerOptions.defaults())) {
            server.start();
            try (var client = UnixStreamClient.connect(address, LINES)) {
                client.send("abstract");

                assertThat(client.receive(TIMEOUT)).isEqualTo("abstract");
                assertThat(client.address()).isEqualTo(address);
                assertThat(client.peerCredentials().pid()).isEqualTo(ProcessHandle.current().pid());
            }
            assertThat(seen).containsExactly(address, ProcessHandle.current().pid());
            assertThat(server.address()).isEqualTo(address);
            assertThat(server.socketFileState()).isEqualTo(SocketFileState.ABSTRACT);
            assertThat(listedByTheKernel()).isTrue();
            assertThatThrownBy(server::path).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("the server on " + address + " listens on an abstract address and has no socket file; "
                            + "see address()");
        }
        // the listener is closed at stop; a served connection's socket carries the name until the kernel frees it
        await().atMost(TIMEOUT).until(() -> !listedByTheKernel());
    }

    @Test
    void aSocketFileModeOrGroupIsRefusedForANameThatHasNoFile() {
        assertThatThrownBy(() -> new AsyncUnixStreamServer<>(address, LINES, echo(),
                ServerOptions.builder().socketFileMode(0600).build()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("socketFileMode does not apply to the abstract address " + address + ", which has no file");
        assertThatThrownBy(() -> new AsyncUnixStreamServer<>(address, LINES, echo(),
                ServerOptions.builder().socketFileGroup("users").build()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("socketFileGroup does not apply to the abstract address " + address + ", which has no "
                        + "file");
    }

    /** Whether the kernel lists a socket bound to the name ({@code /proc/net/unix} shows it as {@code @name}). */
    private boolean listedByTheKernel() throws IOException {
        return Files.readAllLines(Path.of("/proc/net/unix")).stream().anyMatch(line -> line.endsWith(" " + address));
    }
}
