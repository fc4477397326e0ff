package io.easynet.server;

import static io.easynet.server.AncillaryDataTest.openDescriptorsTo;
import static io.easynet.server.Servers.LINES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.internal.transport.UnixConnection;
import io.easynet.internal.transport.UnixTransport;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import io.easynet.transport.TooManyDescriptorsException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServerOptions#maxDescriptors()}: a client cannot make the server hold more descriptors than that for
 * requests it never completes; beyond it they and the connection are closed, and the limit is counted.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DescriptorBoundTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final List<String> handlerSaw = new CopyOnWriteArrayList<>();

    private final List<DisconnectReason> disconnects = new CopyOnWriteArrayList<>();

    private Path file;

    private FileInputStream in;

    @BeforeEach
    void openAFileToPass() throws IOException {
        file = Files.writeString(dir.resolve("passed.txt"), "passed");
        in = new FileInputStream(file.toFile());
    }

    @AfterEach
    void closeIt() throws IOException {
        in.close();
    }

    @Test
    void aClientTricklingDescriptorsWithAnUnfinishedRequestIsClosedAtTheDefaultBoundOf253() throws Exception {
        try (LogCapture logs = LogCapture.of(AsyncUnixStreamServer.class);
                var server = start(ServerOptions.builder().ancillaryBufferSize(Ancillary.MAX_RECEIVE_BUFFER_SIZE));
                UnixConnection client = connect(server)) {
            long mostHeld = 0;
            // one byte of a line that never ends, and one descriptor, per write: as a slow-loris would hoard them
            for (int i = 0; i < 1000 && write(client, "x", 1); i++) {
                mostHeld = Math.max(mostHeld, serverHeld());
            }

            await().atMost(TIMEOUT).until(() -> disconnects.contains(DisconnectReason.ERROR));
            String message = "client#1 on " + server.path() + " sent 254 file descriptors that wait for the packet "
                    + "they came with, more than the 253 a connection may hold (maxDescriptors); closed them and the "
                    + "connection";
            assertThat(handlerSaw).containsExactly(ClientDisconnectedException.class.getSimpleName() + ": " + message
                    + " caused by " + TooManyDescriptorsException.class.getSimpleName());
            assertThat(logs.messages(Level.WARN)).contains(message);
            assertThat(limitsReached()).isEqualTo(1);
            assertThat(mostHeld).isLessThanOrEqualTo(254);
            await().atMost(TIMEOUT).until(() -> serverHeld() == 0);
        }
    }

    @Test
    void aRequestWithAsManyDescriptorsAsTheBoundIsServedAndOneWithMoreClosesTheConnection() throws Exception {
        try (var server = start(ServerOptions.builder().ancillaryBufferSize(Ancillary.MAX_RECEIVE_BUFFER_SIZE)
                .maxDescriptors(300)); UnixConnection client = connect(server)) {
            write(client, "all\n", 253);
            assertThat(readLine(client)).isEqualTo("all 253");

            // one request whose descriptors come in two messages, 506 in all
            write(client, "half a ", 253);
            write(client, "request\n", 253);

            await().atMost(TIMEOUT).until(() -> disconnects.contains(DisconnectReason.ERROR));
            assertThat(handlerSaw).singleElement().asString().contains("sent 506 file descriptors that wait for the "
                    + "packet they came with, more than the 300 a connection may hold (maxDescriptors)");
            assertThat(limitsReached()).isEqualTo(1);
            assertThat(client.read(ByteBuffer.allocate(16))).as("closed by the server").isEqualTo(-1);
            await().atMost(TIMEOUT).until(() -> serverHeld() == 0);
        }
    }

    @Test
    void aBoundBelowOneIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ServerOptions.builder().maxDescriptors(0).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDescriptors must be positive, got 0");
    }

    private AsyncUnixStreamServer<String, String> start(ServerOptions.Builder options) throws IOException {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            try {
                Received<String> request = requests.receiveWithAncillary();
                client.send(request.packet() + " " + request.descriptors().size());
            } catch (ClientDisconnectedException e) {
                handlerSaw.add(e.getClass().getSimpleName() + ": " + e.getMessage() + " caused by "
                        + (e.getCause() == null ? null : e.getCause().getClass().getSimpleName()));
                throw e;
            }
        };
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler, options.build());
        server.addListener(new ServerMetricsListener(registry, Tags.of("server", "fd")));
        server.addListener(new ServerListener() {
            @Override
            public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
                disconnects.add(reason);
            }
        });
        server.start();
        return server;
    }

    private static UnixConnection connect(AsyncUnixStreamServer<?, ?> server) throws IOException {
        return UnixTransport.junixsocket().connect(server.path(), null, TIMEOUT);
    }

    /** Writes {@code text} with {@code count} copies of the file's descriptor; {@code false} once the server closed. */
    private boolean write(UnixConnection client, String text, int count) {
        FileDescriptor[] copies = new FileDescriptor[count];
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        try {
            Arrays.fill(copies, in.getFD());
            client.writeWithAncillary(bytes, Ancillary.rights(copies));
            client.writeFully(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLine(UnixConnection client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (buffer.position() == 0 || buffer.get(buffer.position() - 1) != '\n') {
            if (client.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    }

    /** The server's descriptors open on the passed file: this process's, less the client's own. */
    private long serverHeld() throws IOException {
        return openDescriptorsTo(file) - 1;
    }

    private double limitsReached() {
        return registry.get("easynet.unix.limits.reached").tags("server", "fd", "limit", "descriptors").counter()
                .count();
    }
}
