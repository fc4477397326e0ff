package io.easynet.server;

import io.easynet.protocol.StreamProtocolParseException;
import java.io.IOException;

/**
 * The read side of a client connection, as handlers see it: each {@link #receive()} is EasyNetwork's
 * {@code yield}.
 *
 * <p>Every error arrives here, at the receive point, where a handler may catch it and go on: a
 * {@link StreamProtocolParseException} for a bad packet (the next receive reads the packet after it), a
 * {@link java.net.SocketTimeoutException} when a timed receive runs out (nothing is lost), or another
 * {@link IOException}. When the client is gone, the server is shutting down, or the client stayed silent past the
 * server's {@link ServerOptions#idleTimeout() idle timeout} (the server then closes the connection), the receive
 * throws {@link ClientDisconnectedException}, which handlers normally let propagate. One thread receives at a
 * time.
 *
 * @param <Req> the type of the requests
 */
public interface RequestStream<Req> {

    /**
     * Blocks until the next request has arrived whole, and returns it; waits at most the server's
     * {@link ServerOptions#receiveTimeout() receive timeout}, if it has one.
     */
    Req receive() throws IOException, StreamProtocolParseException;

    /** Like {@link #receive()}, waiting as {@code params} say instead of the server's receive timeout. */
    Req receive(RecvParams params) throws IOException, StreamProtocolParseException;
}
