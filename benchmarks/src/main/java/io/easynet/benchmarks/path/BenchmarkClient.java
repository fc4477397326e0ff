package io.easynet.benchmarks.path;

import io.easynet.server.ClientAttributes;
import io.easynet.server.StreamClient;
import io.easynet.transport.Ancillary;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The client a {@code ServerListener} is told about when a benchmark drives a packet stream without a server: it
 * has an id and nothing else, which is all the metrics listener asks of it without per-client meters.
 */
final class BenchmarkClient implements StreamClient<Object> {

    @Override
    public String id() {
        return "client#1";
    }

    @Override
    public void send(Object response) {
        throw new UnsupportedOperationException("the benchmark sends on the stream");
    }

    @Override
    public void sendWithAncillary(Object response, Ancillary ancillary) {
        throw new UnsupportedOperationException("the benchmark sends on the stream");
    }

    @Override
    public PeerCredentials peerCredentials() {
        throw new UnsupportedOperationException("no peer in memory");
    }

    @Override
    public boolean isClosing() {
        return false;
    }

    @Override
    public void close() {
    }

    @Override
    public void addCloseCallback(Runnable callback) {
    }

    @Override
    public SocketAddress peerAddress() {
        return UnixDomainSocketAddress.of("");
    }

    @Override
    public SocketAddress localAddress() {
        return UnixDomainSocketAddress.of("");
    }

    @Override
    public ClientAttributes attributes() {
        throw new UnsupportedOperationException("no attributes without a server; use metrics without per-client "
                + "meters");
    }

    @Override
    public SocketProxy socket() {
        throw new UnsupportedOperationException("no socket in memory");
    }
}
