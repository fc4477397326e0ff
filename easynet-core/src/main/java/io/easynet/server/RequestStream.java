package io.easynet.server;

import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.transport.Received;
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
     *
     * @return the request
     * @throws IOException if the connection failed or the receive timed out
     * @throws StreamProtocolParseException if the request is invalid; the next one can still be received
     */
    Req receive() throws IOException, StreamProtocolParseException;

    /**
     * Like {@link #receive()}, waiting as {@code params} say instead of the server's receive timeout.
     *
     * @param params how to receive, such as the timeout
     * @return the request
     * @throws IOException if the connection failed or the receive timed out
     * @throws StreamProtocolParseException if the request is invalid; the next one can still be received
     */
    Req receive(RecvParams params) throws IOException, StreamProtocolParseException;

    /**
     * Like {@link #receive()}, and also returns the file descriptors that arrived with the request's bytes
     * ({@code SCM_RIGHTS}). Take the ones you use ({@link io.easynet.transport.FileDescriptors#take take},
     * {@code takeInputStream}, {@code takeOutputStream}); the rest are closed by the server when the handler
     * receives again or the connection ends. A plain {@code receive} closes the descriptors that came with its
     * request.
     *
     * @return the request and the file descriptors that came with it
     * @throws IllegalStateException if the server has no {@link ServerOptions#ancillaryBufferSize()}
     * @throws io.easynet.transport.AncillaryTruncatedException if the client sent more descriptors at once than the
     *     buffer holds; their bytes are lost and the connection is closed
     * @throws StreamProtocolParseException if the request is invalid; the next one can still be received
     */
    Received<Req> receiveWithAncillary() throws IOException, StreamProtocolParseException;

    /**
     * Like {@link #receiveWithAncillary()}, waiting as {@code params} say instead of the server's receive timeout.
     *
     * @param params how to receive, such as the timeout
     * @return the request and the file descriptors that came with it
     * @throws IOException if the connection failed or the receive timed out
     * @throws StreamProtocolParseException if the request is invalid; the next one can still be received
     */
    Received<Req> receiveWithAncillary(RecvParams params) throws IOException, StreamProtocolParseException;
}
