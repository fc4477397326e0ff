package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.Ancillary;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract on the JDK transport, plus the named client sockets only it makes and what it refuses. */
class JdkUnixTransportTest extends UnixTransportContract {

    @Override
    UnixTransport transport() {
        return UnixTransport.jdk();
    }

    @Test
    void connectBindsTheClientAtTheLocalPathAndThePeerSeesIt() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path local = dir.resolve("client.sock");
        UnixListener listener = listen(socket);
        UnixConnection client = opened(transport().connect(socket, local, CONNECT_TIMEOUT));
        UnixConnection accepted = accept(listener);

        assertThat(Files.exists(local)).isTrue();
        assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
        assertThat(accepted.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(local));
    }

    @Test
    void closingANamedClientRemovesItsSocketFileButNotAReplacement() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path local = dir.resolve("client.sock");
        listen(socket);
        transport().connect(socket, local, CONNECT_TIMEOUT).close();
        assertThat(Files.exists(local)).as("removed at close").isFalse();

        UnixConnection client = transport().connect(socket, local, CONNECT_TIMEOUT);
        Files.delete(local);
        listen(local);
        client.close();
        assertThat(Files.exists(local)).as("another socket's file at the same path is left alone").isTrue();
    }

    @Test
    void localPathThatCannotBeBoundIsNamedInTheError() throws IOException {
        Path socket = dir.resolve("server.sock");
        Path taken = dir.resolve("taken.sock");
        listen(socket);
        listen(taken);

        assertThatThrownBy(() -> transport().connect(socket, taken, Duration.ofSeconds(5)))
                .isExactlyInstanceOf(BindException.class)
                .hasMessage("cannot bind the client socket at " + taken + ": Address already in use");
    }

    @Test
    void whatOnlyJunixsocketDoesIsRefusedWithTheWayOut() throws IOException {
        Pair pair = connectedPair();
        AbstractUnixAddress name = AbstractUnixAddress.of("easynet");

        assertThatThrownBy(() -> pair.client().peerCredentials())
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the JDK transport cannot read the peer's pid (user and group names are in "
                        + "socket().getOption(ExtendedSocketOptions.SO_PEERCRED)); use UnixTransport.junixsocket()");
        assertThatThrownBy(() -> pair.client().readWithAncillary(ByteBuffer.allocate(8), 24))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the JDK transport cannot receive file descriptors (its SocketChannel has no ancillary "
                        + "data); use UnixTransport.junixsocket()");
        assertThatThrownBy(() -> pair.client().writeWithAncillary(ascii("x"), Ancillary.rights(FileDescriptor.in)))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the JDK transport cannot send file descriptors (its SocketChannel has no ancillary "
                        + "data); use UnixTransport.junixsocket()");
        assertThatThrownBy(() -> transport().listen(name, 4))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the JDK transport cannot listen on abstract addresses such as @easynet; use "
                        + "UnixTransport.junixsocket()");
        assertThatThrownBy(() -> transport().connect(name, CONNECT_TIMEOUT))
                .isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessage("the JDK transport cannot connect to abstract addresses such as @easynet; use "
                        + "UnixTransport.junixsocket()");
    }
}
