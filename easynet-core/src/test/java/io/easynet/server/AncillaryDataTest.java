package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newsclub.net.unix.AFPipe;

/** File descriptors passed both ways through a real server, and what becomes of those nobody claims. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AncillaryDataTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final ServerOptions FOUR_DESCRIPTORS = ServerOptions.builder()
            .ancillaryBufferSize(Ancillary.bufferSizeFor(4)).build();

    private static final ClientOptions CLIENT_DESCRIPTORS = ClientOptions.defaults()
            .withAncillaryBufferSize(Ancillary.bufferSizeFor(4));

    @TempDir
    Path dir;

    @Test
    void aHandlerReadsTheFileAndWritesThePipeAClientSentWithItsRequest() throws Exception {
        Path file = Files.writeString(dir.resolve("request.txt"), "the client's file");
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            String contents = contents(request.descriptors().take(0));
            try (FileOutputStream out = request.descriptors().takeOutputStream(1)) {
                out.write(("through the pipe for " + request.packet()).getBytes(StandardCharsets.UTF_8));
            }
            client.send(request.packet() + " read " + contents);
        };
        try (var server = startLines(dir, handler, FOUR_DESCRIPTORS); var client = connect(server);
                var in = new FileInputStream(file.toFile()); AFPipe pipe = AFPipe.open()) {
            client.sendWithAncillary("hello", Ancillary.rights(in.getFD(), pipe.sink().getFileDescriptor()));

            assertThat(client.receive(TIMEOUT)).isEqualTo("hello read the client's file");
            assertThat(readOnce(pipe.source())).isEqualTo("through the pipe for hello");
        }
    }

    @Test
    void theClientReceivesTheDescriptorsAHandlerSentWithItsResponse() throws Exception {
        Path first = Files.writeString(dir.resolve("first.txt"), "first");
        Path second = Files.writeString(dir.resolve("second.txt"), "second");
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            try (var one = new FileInputStream(first.toFile()); var two = new FileInputStream(second.toFile())) {
                client.sendWithAncillary("two files", Ancillary.rights(one.getFD(), two.getFD()));
            }
            client.send("no files");
        };
        try (var server = startLines(dir, handler, FOUR_DESCRIPTORS); var client = connect(server)) {
            client.send("files please");

            Received<String> files = client.receiveWithAncillary(TIMEOUT);
            assertThat(files.packet()).isEqualTo("two files");
            assertThat(files.descriptors().size()).isEqualTo(2);
            assertThat(contents(files.descriptors().take(0))).isEqualTo("first");
            assertThat(contents(files.descriptors().take(1))).isEqualTo("second");
            Received<String> none = client.receiveWithAncillary();
            assertThat(none.packet()).isEqualTo("no files");
            assertThat(none.descriptors().isEmpty()).isTrue();
        }
    }

    @Test
    void descriptorsArriveWithTheRequestTheyWereSentWithAlsoOnATimedReceive() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "f");
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary(RecvParams.timeout(TIMEOUT));
            client.send(request.packet() + " " + request.descriptors().size());
        };
        try (var server = startLines(dir, handler, FOUR_DESCRIPTORS); var client = connect(server);
                var in = new FileInputStream(file.toFile())) {
            client.send("a");
            client.sendWithAncillary("b", Ancillary.rights(in.getFD(), in.getFD(), in.getFD()));
            client.send("c");

            assertThat(List.of(client.receive(TIMEOUT), client.receive(TIMEOUT), client.receive(TIMEOUT)))
                    .containsExactly("a 0", "b 3", "c 0");
        }
    }

    /** Half the requests are received plainly, the other half with ancillary data but nothing taken. */
    @Test
    void descriptorsAHandlerDoesNotClaimAreClosedSoTenThousandRequestsLeakNone() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "passed");
        AtomicInteger requestsSeen = new AtomicInteger();
        StreamRequestHandler<String, String> handler = (client, requests) -> client.send(requestsSeen.getAndIncrement()
                % 2 == 0 ? requests.receive() : requests.receiveWithAncillary().packet());
        try (LogCapture logs = LogCapture.of("io.easynet.internal.transport.PacketStream");
                var server = startLines(dir, handler, FOUR_DESCRIPTORS); var client = connect(server);
                var in = new FileInputStream(file.toFile())) {
            Ancillary twice = Ancillary.rights(in.getFD(), in.getFD());
            exchange(client, "warm-up", twice);
            await().atMost(TIMEOUT).until(() -> openDescriptorsTo(file) == 1);
            long before = openDescriptors();

            for (int i = 0; i < 10_000; i++) {
                exchange(client, "request " + i, twice);
            }

            await().atMost(TIMEOUT).until(() -> openDescriptorsTo(file) == 1 && openDescriptors() == before);
            assertThat(logs.messages(Level.WARN)).containsExactly("client#1 on " + server.path() + " sent 2 file "
                    + "descriptor(s) with a packet received without ancillary data; closed them");
        }
    }

    @Test
    void descriptorsLeftWithARequestAreClosedWhenTheConnectionEnds() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "passed");
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receiveWithAncillary();
            client.close();
        };
        try (var server = startLines(dir, handler, FOUR_DESCRIPTORS); var client = connect(server);
                var in = new FileInputStream(file.toFile())) {
            client.sendWithAncillary("keep them", Ancillary.rights(in.getFD(), in.getFD()));

            assertThatThrownBy(() -> client.receive(TIMEOUT)).isInstanceOf(EOFException.class);
            await().atMost(TIMEOUT).until(() -> openDescriptorsTo(file) == 1);
        }
    }

    /**
     * junixsocket alone receives into a fixed 256 bytes: the kernel would install the 60 descriptors that fit of a
     * larger message and junixsocket would fail without handing them out, 60 leaked per connection.
     */
    @ParameterizedTest
    @CsvSource({"4, 5", "60, 61", "60, 253"})
    void aMessageWithMoreDescriptorsThanTheBufferHoldsClosesThemAllAndTheConnection(int fitting, int sent)
            throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "passed");
        var events = new ServerListenerTest.Recorder();
        int bufferSize = Ancillary.bufferSizeFor(fitting);
        var options = ServerOptions.builder().ancillaryBufferSize(bufferSize).build();
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES,
                (client, requests) -> client.send(requests.receiveWithAncillary().packet()), options);
        server.addListener(events);
        try (LogCapture logs = LogCapture.of(AsyncUnixStreamServer.class); server) {
            server.start();
            try (var in = new FileInputStream(file.toFile())) {
                for (int i = 1; i <= 3; i++) {
                    try (var client = connect(server)) {
                        client.sendWithAncillary("too many", Ancillary.rights(copies(in.getFD(), sent)));

                        assertThatThrownBy(() -> client.receive(TIMEOUT)).isInstanceOf(EOFException.class);
                    }
                    String disconnected = "disconnected client#" + i + " ERROR";
                    await().atMost(TIMEOUT).until(() -> events.events.contains(disconnected));
                }
            }

            await().atMost(TIMEOUT).until(() -> openDescriptorsTo(file) == 0);
            assertThat(logs.messages(Level.ERROR)).hasSize(3).first().isEqualTo("handle of client#1 on "
                    + server.path() + " failed; closing the connection | io.easynet.transport."
                    + "AncillaryTruncatedException: ancillary data refused: " + sent + " descriptors arrived in one "
                    + "message, more than the " + bufferSize + "-byte ancillary buffer holds (" + fitting
                    + " descriptors); all of them and the connection were closed. Raise the ancillary buffer size, "
                    + "up to 1032 bytes (Ancillary.bufferSizeFor(n) for n descriptors), or have the peer send fewer "
                    + "descriptors per write");
        }
    }

    @Test
    void theMostDescriptorsLinuxPassesInOneMessageReachTheHandlerAndLeakNone() throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "passed");
        var options = ServerOptions.builder().ancillaryBufferSize(Ancillary.MAX_RECEIVE_BUFFER_SIZE).build();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            client.send(request.packet() + " " + request.descriptors().size());
        };
        try (var server = startLines(dir, handler, options); var client = connect(server)) {
            try (var in = new FileInputStream(file.toFile())) {
                for (int i = 0; i < 3; i++) {
                    client.sendWithAncillary("all", Ancillary.rights(copies(in.getFD(), Ancillary.MAX_DESCRIPTORS)));

                    assertThat(client.receive(TIMEOUT)).isEqualTo("all 253");
                }
            }

            await().atMost(TIMEOUT).until(() -> openDescriptorsTo(file) == 0);
        }
    }

    @Test
    void descriptorPassingIsRefusedByAServerWithoutAnAncillaryBuffer() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            for (Runnable attempt : List.<Runnable>of(() -> uncheck(requests::receiveWithAncillary),
                    () -> uncheck(() -> client.sendWithAncillary("fd", Ancillary.rights(FileDescriptor.in))))) {
                try {
                    attempt.run();
                } catch (IllegalStateException e) {
                    client.send(e.getMessage());
                }
            }
        };
        try (var server = startLines(dir, handler); var client = Servers.lineClient(server)) {
            client.send("go");

            String off = " client#1 on " + server.path() + ": the server has no ancillaryBufferSize, so descriptor "
                    + "passing is off (set ServerOptions.ancillaryBufferSize, such as Ancillary.bufferSizeFor(n) for n "
                    + "descriptors)";
            assertThat(client.receive(TIMEOUT)).isEqualTo("cannot receive file descriptors from" + off);
            assertThat(client.receive(TIMEOUT)).isEqualTo("cannot send file descriptors to" + off);
            String clientOff = " the server on " + server.path() + ": the client has no ancillaryBufferSize, so "
                    + "descriptor passing is off (connect with ClientOptions.withAncillaryBufferSize, such as "
                    + "Ancillary.bufferSizeFor(n) for n descriptors)";
            assertThatThrownBy(() -> client.sendWithAncillary("fd", Ancillary.rights(FileDescriptor.in)))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot send file descriptors to" + clientOff);
            assertThatThrownBy(client::receiveWithAncillary).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot receive file descriptors from" + clientOff);
        }
    }

    @Test
    void anAncillaryBufferBeyondLinuxsMostDescriptorsOrTooSmallForOneIsRefusedNamingTheLimits() {
        String limits = ": Linux passes at most 253 descriptors in one message (SCM_MAX_FD), which take 1032 bytes; "
                + "Ancillary.bufferSizeFor(n) sizes it for n descriptors";
        assertThatThrownBy(() -> ServerOptions.builder().ancillaryBufferSize(8192).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ancillaryBufferSize must be between 24 and 1032 bytes, got 8192" + limits);
        assertThatThrownBy(() -> ServerOptions.builder().ancillaryBufferSize(16).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ancillaryBufferSize must be between 24 and 1032 bytes, got 16" + limits);
        assertThatThrownBy(() -> ClientOptions.defaults().withAncillaryBufferSize(1033))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ancillaryBufferSize must be between 24 and 1032 bytes, got 1033" + limits);
    }

    private static UnixStreamClient<String, String> connect(AsyncUnixStreamServer<?, ?> server) throws IOException {
        return UnixStreamClient.connect(server.path(), LINES, CLIENT_DESCRIPTORS);
    }

    private static void exchange(UnixStreamClient<String, String> client, String request, Ancillary descriptors)
            throws Exception {
        client.sendWithAncillary(request, descriptors);
        assertThat(client.receive(TIMEOUT)).isEqualTo(request);
    }

    private static FileDescriptor[] copies(FileDescriptor descriptor, int count) {
        FileDescriptor[] copies = new FileDescriptor[count];
        Arrays.fill(copies, descriptor);
        return copies;
    }

    /** Reads the file a descriptor is open on, and closes the descriptor. */
    static String contents(FileDescriptor descriptor) throws IOException {
        try (var in = new FileInputStream(descriptor)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String readOnce(ReadableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        channel.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /** How many of this process's descriptors are open. */
    static long openDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }

    /** How many of this process's descriptors are open on {@code file}. */
    static long openDescriptorsTo(Path file) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).equals(file);
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }

    private static void uncheck(ThrowingCall call) {
        try {
            call.run();
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {

        void run() throws Exception;
    }
}
