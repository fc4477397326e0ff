package io.easynet.transport;

/** The contract on the junixsocket transport, plus what only it does. */
class JunixsocketTransportTest extends UnixTransportContract {

    @Override
    UnixTransport transport() {
        return UnixTransport.junixsocket();
    }
}
