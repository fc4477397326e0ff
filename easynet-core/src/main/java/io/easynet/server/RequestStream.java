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
 * {@link IOException}. When the client is gone, or the server is shutting down, the receive throws
 * {@link ClientDisconnectedException}, which handlers normally let propagate. One thread receives at a time.
 *
 * @param <Req> the type of the requests
 */
public interface RequestStream<Req> {

    /** Blocks until the next request has arrived whole, and returns it. */
    Req receive() throws IOException, StreamProtocolParseException;

    /** Like {@link #receive()}, waiting as {@code params} say. */
    Req receive(RecvParams params) throws IOException, StreamProtocolParseException;
}
