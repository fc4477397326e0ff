package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.security.auth.module.UnixSystem;
import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.Ancillary;
import io.easynet.transport.AncillaryTruncatedException;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.PeerCredentials;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newsclub.net.unix.AFPipe;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/** The contract on the junixsocket transport, plus what only it does. */
class JunixsocketTransportTest extends UnixTransportContract {

    @Override
    UnixTransport transport() {
        return UnixTransport.junixsocket();
    }

    // ---- what junixsocket cannot do -------------------------------------------------------------------------

    @Test
    void connectingFromALocalPathIsRefusedBecauseJunixsocketIgnoresTheBind() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path local = dir.resolve("client.sock");
        listen(socket);

        assertThatThrownBy(() -> transport().connect(socket, local, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("junixsocket cannot bind a client socket to a path (it ignores such a bind), so it "
                        + "cannot connect to " + socket + " from " + local + "; use UnixTransport.jdk() for a named "
                        + "client socket");
        assertThat(Files.exists(local)).isFalse();
    }

    @Test
    void aJdkClientBoundToAPathIsSeenByThatPathOnAJunixsocketServer() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path local = dir.resolve("client.sock");
        UnixListener listener = listen(socket);
        UnixConnection client = opened(UnixTransport.jdk().connect(socket, local, CONNECT_TIMEOUT));
        UnixConnection accepted = accept(listener);

        assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
        client.writeFully(ascii("from the JDK"));
        assertThat(readExactly(accepted, 12)).isEqualTo("from the JDK");
    }

    // ---- peer credentials -----------------------------------------------------------------------------------

    @Test
    void peerCredentialsAreThisProcessOnBothEnds() throws IOException {
        Pair pair = connectedPair();
        UnixSystem user = new UnixSystem();
        PeerCredentials expected = new PeerCredentials(ProcessHandle.current().pid(), (int) user.getUid(),
                (int) user.getGid());

        assertThat(pair.accepted().peerCredentials()).isEqualTo(expected);
        assertThat(pair.client().peerCredentials()).isEqualTo(expected);
    }

    // ---- abstract addresses ---------------------------------------------------------------------------------

    @Test
    void anAbstractAddressRoundTripsWithItsExactNameAndNoFile() throws IOException {
        AbstractUnixAddress address = AbstractUnixAddress.of("easynet-test-" + UUID.randomUUID());
        UnixListener listener = opened(transport().listen(address, 4));
        UnixConnection client = opened(transport().connect(address, CONNECT_TIMEOUT));
        UnixConnection accepted = accept(listener);

        client.writeFully(ascii("abstract"));
        assertThat(readExactly(accepted, 8)).isEqualTo("abstract");
        assertThat(client.peerAddress()).isEqualTo(address);
        assertThat(accepted.localAddress()).isEqualTo(address);
        assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
        // The kernel lists the name unpadded, so peers in other languages reach it by the same string.
        assertThat(Files.readAllLines(Path.of("/proc/net/unix"))).filteredOn(line -> line.endsWith(" " + address))
                .isNotEmpty();
    }

    @Test
    void aTakenAbstractNameFailsToListenAndIsFreeAgainOnceClosed() throws IOException {
        AbstractUnixAddress address = AbstractUnixAddress.of("easynet-test-" + UUID.randomUUID());
        UnixListener first = transport().listen(address, 4);

        assertThatThrownBy(() -> transport().listen(address, 4))
                .isExactlyInstanceOf(BindException.class)
                .hasMessage("cannot listen on " + address + ": Address already in use");
        first.close();
        opened(transport().listen(address, 4));
    }

    @Test
    void connectingToAnAbstractNameNobodyListensOnIsRefused() {
        AbstractUnixAddress address = AbstractUnixAddress.of("easynet-test-" + UUID.randomUUID());

        assertThatThrownBy(() -> transport().connect(address, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(ConnectException.class)
                .hasMessage("cannot connect to " + address + ": Connection refused");
    }

    // ---- descriptor passing ---------------------------------------------------------------------------------

    @Test
    void aFileDescriptorSentWithBytesArrivesWithThemAndOutlivesTheConnection() throws IOException {
        Pair pair = connectedPair();
        Path file = Files.writeString(dir.resolve("shared.txt"), "contents of the shared file");
        FileDescriptors received;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            assertThat(pair.client().writeWithAncillary(ascii("file"), Ancillary.rights(in.getFD()))).isEqualTo(4);
        }

        AncillaryRead read = pair.accepted().readWithAncillary(ByteBuffer.allocate(16), Ancillary.bufferSizeFor(1));
        received = read.descriptors();
        pair.client().close();
        pair.accepted().close();

        assertThat(read.bytesRead()).isEqualTo(4);
        assertThat(received.size()).isEqualTo(1);
        try (FileInputStream in = received.takeInputStream(0)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("contents of the shared file");
        }
        assertThatThrownBy(() -> received.take(0)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("descriptor 0 was already taken or closed");
    }

    @Test
    void aFileAPipeAndASocketSentAtOnceArriveInOrderAndWork() throws Exception {
        Pair pair = connectedPair();
        Path file = Files.writeString(dir.resolve("first.txt"), "first");
        try (FileInputStream in = new FileInputStream(file.toFile()); AFPipe pipe = AFPipe.open();
                AFUNIXSocketPair<AFUNIXSocketChannel> sockets = AFUNIXSocketPair.open()) {
            pair.client().writeWithAncillary(ascii("three"), Ancillary.rights(in.getFD(),
                    pipe.sink().getFileDescriptor(), sockets.getSocket1().getFileDescriptor()));

            AncillaryRead read = pair.accepted().readWithAncillary(ByteBuffer.allocate(16), Ancillary.bufferSizeFor(3));

            assertThat(read.bytesRead()).isEqualTo(5);
            assertThat(read.descriptors().size()).isEqualTo(3);
            try (FileInputStream first = read.descriptors().takeInputStream(0)) {
                assertThat(new String(first.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
            }
            try (FileOutputStream pipeEnd = read.descriptors().takeOutputStream(1)) {
                pipeEnd.write("through the pipe".getBytes(StandardCharsets.UTF_8));
            }
            try (FileOutputStream socketEnd = read.descriptors().takeOutputStream(2)) {
                socketEnd.write("through the socket".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(readOnce(pipe.source())).isEqualTo("through the pipe");
            assertThat(readOnce(sockets.getSocket2())).isEqualTo("through the socket");
        }
    }

    @Test
    void aReadEndsAfterTheBytesThatCarriedDescriptors() throws IOException {
        Pair pair = connectedPair();
        try (FileInputStream in = new FileInputStream(Files.writeString(dir.resolve("f"), "f").toFile())) {
            pair.client().writeFully(ascii("AAAA"));
            pair.client().writeWithAncillary(ascii("BBBB"), Ancillary.rights(in.getFD()));
            pair.client().writeFully(ascii("CCCC"));
        }
        ByteBuffer buffer = ByteBuffer.allocate(64);

        AncillaryRead first = pair.accepted().readWithAncillary(buffer, Ancillary.bufferSizeFor(1));
        assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)).isEqualTo("AAAABBBB");
        assertThat(first.descriptors().size()).isEqualTo(1);
        first.descriptors().close();

        AncillaryRead second = pair.accepted().readWithAncillary(buffer, Ancillary.bufferSizeFor(1));
        assertThat(second.bytesRead()).isEqualTo(4);
        assertThat(second.descriptors().isEmpty()).isTrue();
    }

    @Test
    void descriptorsWaitForRoomInAFullSocketAndStillTravelWithTheirByte() throws Exception {
        Pair pair = connectedPair();
        FileInputStream in = new FileInputStream(Files.writeString(dir.resolve("f"), "f").toFile());
        // One write fills the socket buffer with what fits, without blocking.
        int filled = pair.client().write(ByteBuffer.allocate(8 * 1024 * 1024));
        CompletableFuture<Integer> marker = new CompletableFuture<>();
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                marker.complete(pair.client().writeWithAncillary(ascii("M"), Ancillary.rights(in.getFD())));
            } catch (Throwable e) {
                marker.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.getState() == Thread.State.WAITING);

        ByteBuffer buffer = ByteBuffer.allocate(filled + 1);
        List<Integer> descriptorsAt = new ArrayList<>();
        while (buffer.hasRemaining()) {
            AncillaryRead read = pair.accepted().readWithAncillary(buffer, Ancillary.bufferSizeFor(1));
            for (int i = 0; i < read.descriptors().size(); i++) {
                descriptorsAt.add(buffer.position());
            }
            read.descriptors().close();
        }
        in.close();

        assertThat(marker.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(buffer.get(filled)).isEqualTo((byte) 'M');
        assertThat(descriptorsAt).as("one descriptor, with the read that ended at the marker")
                .containsExactly(filled + 1);
    }

    @Test
    void theMostDescriptorsLinuxPassesArriveWholeAndLargerBuffersAreUnsupported() throws IOException {
        Pair pair = connectedPair();
        try (FileInputStream in = new FileInputStream(Files.writeString(dir.resolve("f"), "f").toFile())) {
            pair.client().writeWithAncillary(ascii("x"), Ancillary.rights(copies(in.getFD(), 253)));
        }

        AncillaryRead read = pair.accepted().readWithAncillary(ByteBuffer.allocate(8), 1032);

        assertThat(read.descriptors().size()).isEqualTo(253);
        read.descriptors().close();
        assertThatThrownBy(() -> pair.accepted().readWithAncillary(ByteBuffer.allocate(8), 1033))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("junixsocket receives ancillary data into at most 1032 bytes (253 descriptors, the most "
                        + "Linux passes in one message) per read; got an ancillary buffer size of 1033");
    }

    /** junixsocket alone would receive 60 of the 61 into its fixed 256 bytes, report truncation and leak them. */
    @ParameterizedTest
    @CsvSource({"4, 5", "60, 61", "60, 253"})
    void moreDescriptorsThanTheConfiguredBufferHoldsAreRefusedAndTheConnectionIsClosed(int fitting, int sent)
            throws IOException {
        Pair pair = connectedPair();
        try (FileInputStream in = new FileInputStream(Files.writeString(dir.resolve("f"), "f").toFile())) {
            pair.client().writeWithAncillary(ascii("lost"), Ancillary.rights(copies(in.getFD(), sent)));
        }
        int bufferSize = Ancillary.bufferSizeFor(fitting);

        assertThatThrownBy(() -> pair.accepted().readWithAncillary(ByteBuffer.allocate(8), bufferSize))
                .isExactlyInstanceOf(AncillaryTruncatedException.class)
                .hasMessage("ancillary data refused: " + sent + " descriptors arrived in one message, more than the "
                        + bufferSize + "-byte ancillary buffer holds (" + fitting + " descriptors); all of them and "
                        + "the connection were closed. Raise the ancillary buffer size, up to 1032 bytes "
                        + "(Ancillary.bufferSizeFor(n) for n descriptors), or have the peer send fewer descriptors "
                        + "per write")
                .satisfies(e -> assertThat(((AncillaryTruncatedException) e).bufferSize()).isEqualTo(bufferSize));
        assertThat(pair.accepted().isOpen()).isFalse();
    }

    @Test
    void descriptorsThatArriveDuringAPlainReadOrAreNeverTakenAreClosed() throws IOException {
        Pair pair = connectedPair();
        ByteBuffer buffer = ByteBuffer.allocate(16);
        Path file = Files.writeString(dir.resolve("passed.txt"), "f");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            Ancillary rights = Ancillary.rights(in.getFD(), in.getFD());

            exchangeDescriptors(pair, rights, buffer, 1000);
            for (int i = 0; i < 100; i++) {
                pair.client().writeWithAncillary(ascii("p"), rights);
                buffer.clear();
                assertThat(pair.accepted().read(buffer)).isEqualTo(1);
            }

            assertThat(openDescriptorsTo(file.toString())).as("only the sender's own").isEqualTo(1);
        }
    }

    // ---- socket activation ----------------------------------------------------------------------------------

    @Test
    void anInheritedDescriptorThatIsNotAListeningSocketIsRefused() throws IOException {
        try (FileInputStream in = new FileInputStream(Files.writeString(dir.resolve("f"), "f").toFile())) {
            int descriptor = FileDescriptorCast.using(in.getFD()).as(Integer.class);

            assertThatThrownBy(() -> JunixsocketTransport.instance().inherited(descriptor))
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessage("descriptor " + descriptor + " is not a listening Unix-domain stream socket");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Sends {@code rights} {@code times} times with one byte each, and reads them, closing what arrives untaken. */
    private static void exchangeDescriptors(Pair pair, Ancillary rights, ByteBuffer buffer, int times)
            throws IOException {
        int received = 0;
        for (int i = 0; i < times; i++) {
            pair.client().writeWithAncillary(ascii("d"), rights);
            buffer.clear();
            AncillaryRead read = pair.accepted().readWithAncillary(buffer, Ancillary.bufferSizeFor(2));
            received += read.descriptors().size();
            read.descriptors().close();
        }
        assertThat(received).isEqualTo(times * rights.descriptors().size());
    }

    private static String readOnce(ReadableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static FileDescriptor[] copies(FileDescriptor descriptor, int count) {
        FileDescriptor[] copies = new FileDescriptor[count];
        Arrays.fill(copies, descriptor);
        return copies;
    }
}
