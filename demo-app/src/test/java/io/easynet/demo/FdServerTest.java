package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The demo's {@code fd} contract: peer credentials, SHA-256 digests of the descriptors sent with a request, and a
 * descriptor sent back, driven by the Java client. {@link PythonClientInteropTest} drives the same operations from
 * CPython's {@code socket.send_fds}/{@code recv_fds}.
 */
@SpringBootTest(properties = "server.port=0")
@Timeout(30)
class FdServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path demoDir;

    @TempDir
    Path files;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @Test
    void whoamiAnswersThePeersPidUidAndGid() throws Exception {
        try (var client = connect()) {
            client.send("{\"op\":\"whoami\"}");
            var ids = new com.sun.security.auth.module.UnixSystem();
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"pid\":" + ProcessHandle.current().pid() + ",\"uid\":"
                    + ids.getUid() + ",\"gid\":" + ids.getGid() + "}");
        }
    }

    @Test
    void digestAnswersTheSha256OfEachDescriptorInOrder() throws Exception {
        Path first = Files.writeString(files.resolve("a.txt"), "first file\n");
        Path second = Files.write(files.resolve("b.bin"), new byte[100_000]);
        try (var client = connect(); var a = new FileInputStream(first.toFile());
                var b = new FileInputStream(second.toFile())) {
            client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(a.getFD(), b.getFD()));
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"digests\":[\"" + sha256(first) + "\",\""
                    + sha256(second) + "\"]}");
        }
    }

    @Test
    void digestOfAPipeReadsUntilItsWriterClosesAndOfAnEndlessDeviceStopsAtTheLimit() throws Exception {
        Path fifo = files.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // The writer's open waits for ours; it writes one line and exits, which is the pipe's end.
        Process writer = new ProcessBuilder("sh", "-c", "printf 'piped\\n' > " + fifo).start();
        try (var client = connect(); var pipe = new FileInputStream(fifo.toFile());
                var zero = new FileInputStream("/dev/zero")) {
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(pipe.getFD()));
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"digests\":[\"" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest("piped\n".getBytes(StandardCharsets.UTF_8))) + "\"]}");
            client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(zero.getFD()));
            assertThat(client.receive(Duration.ofSeconds(20))).isEqualTo(overLimit(0));
        } finally {
            writer.destroy();
        }
    }

    @Test
    @Timeout(120)
    void digestReadsAtMost64MiBPerRequestAllDescriptorsTogether() throws Exception {
        Path large = sparse("40MiB.bin", 40L * 1024 * 1024);
        try (var client = connect(); var a = new FileInputStream(large.toFile());
                var b = new FileInputStream(large.toFile()); var c = new FileInputStream(large.toFile())) {
            client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(a.getFD(), b.getFD()));
            assertThat(client.receive(Duration.ofSeconds(20))).isEqualTo(overLimit(1));

            client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(c.getFD()));
            assertThat(client.receive(Duration.ofSeconds(20))).isEqualTo("{\"digests\":[\"" + sha256(large) + "\"]}");
        }
    }

    /**
     * Hashing ran on the virtual threads' carriers, one per CPU for every server: two clients asking for 253 large
     * files at a time held both carriers of a 2-core machine, and echo went unanswered for minutes.
     */
    @Test
    @Timeout(120)
    void echoAnswersWhileClientsKeepAskingForTheLargestDigests() throws Exception {
        Path large = sparse("64MiB.bin", FdHandler.MAX_DIGESTED_BYTES);
        AtomicBoolean done = new AtomicBoolean();
        List<CompletableFuture<Set<String>>> digesters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            digesters.add(CompletableFuture.supplyAsync(() -> askForDigestsUntil(done, large),
                    task -> Thread.ofPlatform().name("digester-" + digesters.size()).start(task)));
        }
        try (var echo = UnixStreamClient.connect(demoDir.resolve("echo.sock"),
                StreamProtocol.of(new LineSerializer()))) {
            for (int i = 0; i < 20; i++) {
                echo.send("{\"n\":" + i + "}");
                assertThat(echo.receive(Duration.ofSeconds(20))).isEqualTo("{\"n\":" + i + "}");
            }
        } finally {
            done.set(true);
        }
        for (CompletableFuture<Set<String>> answers : digesters) {
            // the first descriptor is all the request may read, and the second passes the limit
            assertThat(answers.get(60, TimeUnit.SECONDS)).containsExactly(overLimit(1));
        }
    }

    /** Sends 253 descriptors of {@code file} per digest request until {@code done}; returns the answers seen. */
    private static Set<String> askForDigestsUntil(AtomicBoolean done, Path file) {
        Set<String> answers = new HashSet<>();
        try (var client = connect()) {
            do {
                List<FileInputStream> opened = new ArrayList<>();
                try {
                    FileDescriptor[] descriptors = new FileDescriptor[Ancillary.MAX_DESCRIPTORS];
                    for (int i = 0; i < descriptors.length; i++) {
                        opened.add(new FileInputStream(file.toFile()));
                        descriptors[i] = opened.getLast().getFD();
                    }
                    client.sendWithAncillary("{\"op\":\"digest\"}", Ancillary.rights(descriptors));
                } finally {
                    for (FileInputStream in : opened) {
                        in.close();
                    }
                }
                answers.add(client.receive(Duration.ofSeconds(60)));
            } while (!done.get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return answers;
    }

    @Test
    void digestWithoutADescriptorGetsAnErrorOnAConnectionThatStaysOpen() throws Exception {
        try (var client = connect()) {
            client.send("{\"op\":\"digest\"}");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"error\":\"digest needs one or more file descriptors "
                    + "sent with the request (SCM_RIGHTS)\"}");
            client.send("{\"op\":\"nope\"}");
            assertThat(client.receive(TIMEOUT)).isEqualTo("{\"error\":\"unknown op \\\"nope\\\": expected "
                    + "\\\"whoami\\\", \\\"digest\\\" or \\\"open\\\"\"}");
            client.send("{\"op\":\"whoami\"}");
            assertThat(client.receive(TIMEOUT)).startsWith("{\"pid\":");
        }
    }

    @Test
    void openAnswersOkWithADescriptorWhoseContentIsHelloAndTheName() throws Exception {
        try (var client = connect()) {
            client.send("{\"op\":\"open\",\"name\":\"x\"}");
            Received<String> answer = client.receiveWithAncillary(TIMEOUT);
            try (FileDescriptors descriptors = answer.descriptors();
                    InputStream in = descriptors.takeInputStream(0)) {
                assertThat(answer.packet()).isEqualTo("{\"ok\":true}");
                assertThat(descriptors.size()).isOne();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello x\n");
            }
        }
    }

    private static UnixStreamClient<String, String> connect() throws Exception {
        return UnixStreamClient.connect(demoDir.resolve("fd.sock"), StreamProtocol.of(new LineSerializer()),
                ClientOptions.defaults().withAncillaryBufferSize(Ancillary.MAX_RECEIVE_BUFFER_SIZE));
    }

    private Path sparse(String name, long size) throws IOException {
        Path file = files.resolve(name);
        try (var out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(size);
        }
        return file;
    }

    private static String overLimit(int descriptor) {
        return "{\"error\":\"the descriptors sent have more than " + FdHandler.MAX_DIGESTED_BYTES + " bytes to read "
                + "(passed in descriptor " + descriptor + "); digest reads at most that much per request, all "
                + "descriptors together\"}";
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
