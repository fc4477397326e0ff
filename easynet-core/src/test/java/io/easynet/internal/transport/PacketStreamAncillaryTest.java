package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.RawSerializer;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFPipe;

/** Descriptors through a {@link PacketStream} on junixsocket: which packet they go with, and that none leaks. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PacketStreamAncillaryTest {

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    private static final int BUFFER = Ancillary.bufferSizeFor(4);

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    private UnixConnection clientEnd;

    private UnixConnection serverEnd;

    private Path file;

    private FileInputStream in;

    @BeforeEach
    void connectAPair() throws IOException {
        Path socket = dir.resolve("stream.sock");
        UnixListener listener = open(UnixTransport.junixsocket().listen(socket, 4));
        clientEnd = open(UnixTransport.junixsocket().connect(socket, null, Duration.ofSeconds(5)));
        serverEnd = open(listener.accept());
        file = Files.writeString(dir.resolve("passed.txt"), "passed");
        in = open(new FileInputStream(file.toFile()));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void descriptorsSentWithAPacketArriveWithThatPacketOnly() throws Exception {
        PacketStream<String, String> client = stream(clientEnd, LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES);

        client.send("before");
        client.sendWithAncillary("carrier", Ancillary.rights(in.getFD(), in.getFD()));
        client.send("after");

        Received<String> before = server.receiveWithAncillary(null);
        assertThat(before.packet()).isEqualTo("before");
        assertThat(before.descriptors().size()).isZero();
        Received<String> carrier = server.receiveWithAncillary(null);
        assertThat(carrier.packet()).isEqualTo("carrier");
        assertThat(carrier.descriptors().size()).isEqualTo(2);
        try (FileInputStream passed = carrier.descriptors().takeInputStream(1)) {
            assertThat(new String(passed.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("passed");
        }
        Received<String> after = server.receiveWithAncillary(Duration.ofSeconds(5));
        assertThat(after.packet()).isEqualTo("after");
        assertThat(after.descriptors().size()).isZero();
    }

    @Test
    void descriptorsBelongToThePacketHoldingTheLastByteOfTheReadThatBroughtThem() throws Exception {
        PacketStream<String, String> server = stream(serverEnd, LINES);

        // A peer that is not EasyNet: the descriptors ride on a write that ends inside the second line.
        clientEnd.writeWithAncillary(ascii("one\ntw"), Ancillary.rights(in.getFD()));
        clientEnd.writeFully(ascii("o\nthree\n"));

        assertThat(server.receiveWithAncillary(null).descriptors().size()).isZero();
        Received<String> two = server.receiveWithAncillary(null);
        assertThat(two.packet()).isEqualTo("two");
        assertThat(two.descriptors().size()).isEqualTo(1);
        assertThat(server.receiveWithAncillary(null).descriptors().size()).isZero();
    }

    @Test
    void descriptorsOfSeveralWritesInOnePacketArriveTogetherInOrder() throws Exception {
        PacketStream<String, String> server = stream(serverEnd, LINES);
        Path other = Files.writeString(dir.resolve("other.txt"), "other");

        try (FileInputStream second = new FileInputStream(other.toFile())) {
            clientEnd.writeWithAncillary(ascii("one "), Ancillary.rights(in.getFD()));
            clientEnd.writeWithAncillary(ascii("packet\n"), Ancillary.rights(second.getFD()));
        }

        Received<String> packet = server.receiveWithAncillary(null);
        assertThat(packet.packet()).isEqualTo("one packet");
        assertThat(packet.descriptors().size()).isEqualTo(2);
        assertThat(contents(packet.descriptors(), 0)).isEqualTo("passed");
        assertThat(contents(packet.descriptors(), 1)).isEqualTo("other");
    }

    @Test
    void descriptorsReceivedPlainlyWithABadPacketOrLeftUntakenAreClosed() throws Exception {
        PacketStream<String, String> client = stream(clientEnd, LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES);
        long before = UnixTransportContract.openDescriptorsTo(file.toString());

        for (int i = 0; i < 200; i++) {
            client.sendWithAncillary("plain", Ancillary.rights(in.getFD(), in.getFD()));
            assertThat(server.receive(null)).isEqualTo("plain");
            clientEnd.writeWithAncillary(ByteBuffer.wrap(new byte[] {(byte) 0xff, '\n'}), Ancillary.rights(in.getFD()));
            assertThatThrownBy(() -> server.receiveWithAncillary(null))
                    .isInstanceOf(StreamProtocolParseException.class);
            client.sendWithAncillary("untaken", Ancillary.rights(in.getFD()));
            assertThat(server.receiveWithAncillary(null).descriptors().size()).isEqualTo(1);
        }
        client.send("last");
        assertThat(server.receive(null)).isEqualTo("last");

        assertThat(UnixTransportContract.openDescriptorsTo(file.toString())).isEqualTo(before);
    }

    @Test
    void descriptorsSentWithTheRestOfAPacketRefusedAsTooLargeAreClosedWithItNotHandedToTheNext() throws Exception {
        PacketStream<String, String> server = stream(serverEnd, LINES);
        long before = UnixTransportContract.openDescriptorsTo(file.toString());

        // 70,000 bytes of a line over the 64 KiB limit, then 3 descriptors with the rest of that line
        clientEnd.writeFully(ascii("x".repeat(70_000)));
        assertThatThrownBy(() -> server.receiveWithAncillary(null)).isInstanceOf(StreamProtocolParseException.class)
                .hasMessageContaining("larger than the 65536-byte limit");
        clientEnd.writeWithAncillary(ascii("more of that line\n"), Ancillary.rights(in.getFD(), in.getFD(),
                in.getFD()));
        clientEnd.writeWithAncillary(ascii("{\"op\":\"digest\"}\n"), Ancillary.rights(in.getFD()));

        Received<String> next = server.receiveWithAncillary(null);

        assertThat(next.packet()).isEqualTo("{\"op\":\"digest\"}");
        assertThat(next.descriptors().size()).isEqualTo(1);
        assertThat(UnixTransportContract.openDescriptorsTo(file.toString())).isEqualTo(before + 1);
    }

    @Test
    void descriptorsSentThroughoutTheSkippedRestOfARefusedPacketAreAllClosed() throws Exception {
        PacketStream<String, String> server = stream(serverEnd, LINES);
        long before = UnixTransportContract.openDescriptorsTo(file.toString());
        clientEnd.writeFully(ascii("x".repeat(70_000)));
        assertThatThrownBy(() -> server.receiveWithAncillary(null)).isInstanceOf(StreamProtocolParseException.class);

        for (int i = 0; i < 100; i++) {
            clientEnd.writeWithAncillary(ascii("still the same line "), Ancillary.rights(in.getFD(), in.getFD(),
                    in.getFD(), in.getFD()));
            assertThatThrownBy(() -> server.receiveWithAncillary(Duration.ofMillis(1)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
        clientEnd.writeFully(ascii("\nnext\n"));

        Received<String> next = server.receiveWithAncillary(null);

        assertThat(next.packet()).isEqualTo("next");
        assertThat(next.descriptors().size()).isZero();
        assertThat(UnixTransportContract.openDescriptorsTo(file.toString())).isEqualTo(before);
    }

    @Test
    void closingTheStreamClosesDescriptorsHandedOutAndThoseOfPacketsNotYetComplete() throws Exception {
        PacketStream<String, String> client = stream(clientEnd, LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES);
        long before = UnixTransportContract.openDescriptorsTo(file.toString());

        client.sendWithAncillary("handed out", Ancillary.rights(in.getFD()));
        Received<String> handedOut = server.receiveWithAncillary(null);
        clientEnd.writeWithAncillary(ascii("incomplete"), Ancillary.rights(in.getFD(), in.getFD()));
        assertThatThrownBy(() -> server.receiveWithAncillary(Duration.ofMillis(200)))
                .isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(UnixTransportContract.openDescriptorsTo(file.toString())).isEqualTo(before + 2);

        server.close();

        assertThat(UnixTransportContract.openDescriptorsTo(file.toString())).isEqualTo(before);
        assertThatThrownBy(() -> handedOut.descriptors().take(0)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("descriptor 0 was already taken or closed");
    }

    @Test
    void aTakenDescriptorOutlivesTheNextReceiveAndTheStream() throws Exception {
        PacketStream<String, String> client = stream(clientEnd, LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES);

        client.sendWithAncillary("keep", Ancillary.rights(in.getFD()));
        FileDescriptor kept = server.receiveWithAncillary(null).descriptors().take(0);
        client.send("next");
        assertThat(server.receive(null)).isEqualTo("next");
        server.close();

        try (FileInputStream passed = new FileInputStream(kept)) {
            assertThat(new String(passed.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("passed");
        }
    }

    @Test
    void aPipesReadEndCannotBeTakenAsAStreamThatWritesIt() throws Exception {
        PacketStream<String, String> client = stream(clientEnd, LINES);
        PacketStream<String, String> server = stream(serverEnd, LINES);
        AFPipe pipe = open(AFPipe.open());

        client.sendWithAncillary("read end", Ancillary.rights(pipe.source().getFileDescriptor()));
        FileDescriptors descriptors = server.receiveWithAncillary(null).descriptors();

        assertThatThrownBy(() -> descriptors.takeOutputStream(0)).isExactlyInstanceOf(IOException.class)
                .hasMessageMatching("received descriptor \\d+ is not open for writing");
    }

    @Test
    void aPacketThatEncodesToNoBytesCannotCarryDescriptors() {
        PacketStream<byte[], byte[]> client = stream(clientEnd, StreamProtocol.of(RawSerializer.INSTANCE));

        assertThatThrownBy(() -> client.sendWithAncillary(new byte[0], Ancillary.rights(in.getFD())))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot send file descriptors to peer with a packet that encodes to no bytes: "
                        + "descriptors travel with bytes");
    }

    @Test
    void aStreamWithoutAnAncillaryBufferRefusesToReceiveDescriptors() {
        PacketStream<String, String> plain = new PacketStream<>(serverEnd, LINES, "peer", 1024, 1024,
                PacketStream.TrafficListener.NONE);

        assertThatThrownBy(() -> plain.receiveWithAncillary(null)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the stream from peer has no ancillary buffer, so it receives no file descriptors");
    }

    private <T> PacketStream<T, T> stream(UnixConnection connection, StreamProtocol<T, T> protocol) {
        return open(new PacketStream<>(connection, protocol, "peer", 1024, 64 * 1024, BUFFER,
                PacketStream.TrafficListener.NONE));
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static String contents(FileDescriptors descriptors, int index) throws IOException {
        try (FileInputStream stream = descriptors.takeInputStream(index)) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
