package io.easynet.internal.transport;

/** Every {@link PacketStream} test again over junixsocket, since the server runs the stream on either transport. */
class JunixsocketPacketStreamTest extends PacketStreamTest {

    @Override
    UnixTransport transport() {
        return UnixTransport.junixsocket();
    }
}
