package io.easynet.server;

/**
 * The service a server runs for each client: the Java form of EasyNetwork's {@code AsyncStreamRequestHandler}.
 * One instance serves every client of a server, each on its own thread (virtual by default), so blocking code is
 * fine and per-client state belongs in {@link StreamClient#attributes()}, not in fields.
 *
 * <p>The server calls {@link #handle} again and again for as long as the client is connected:
 * <ul>
 *   <li>{@code requests.receive()} blocks for the next request, as {@code yield} does in EasyNetwork;</li>
 *   <li>returning after receiving starts a new round: {@code handle} is called again;</li>
 *   <li>returning without having received closes the connection, as does {@link StreamClient#close()};</li>
 *   <li>throwing closes the connection and is logged with the client's id ({@link ClientDisconnectedException}
 *       at DEBUG only, as it means the client is gone).</li>
 * </ul>
 *
 * @param <Req> the type of the requests
 * @param <Resp> the type of the responses
 */
@FunctionalInterface
public interface StreamRequestHandler<Req, Resp> {

    /**
     * Serves the client for one round: receives one or more requests and sends responses.
     *
     * @param client the write side of the connection
     * @param requests the read side of the connection
     * @throws Exception any failure; the client's connection is then closed
     */
    void handle(StreamClient<Resp> client, RequestStream<Req> requests) throws Exception;

    /**
     * Called once when a client connects, before its first {@link #handle} round. It may receive, to run a
     * handshake or authenticate the client; throwing closes the connection, and then
     * {@link #onDisconnection} is not called for that client.
     *
     * @param client the client connected
     * @param requests its requests
     * @throws Exception any failure; the client's connection is then closed
     */
    default void onConnection(StreamClient<Resp> client, RequestStream<Req> requests) throws Exception {
    }

    /**
     * Called exactly once for each client whose {@link #onConnection} completed, after its last {@link #handle}
     * round, whether that ended normally or not. The connection is still open when the server closes it, so a
     * last message can be sent.
     *
     * @param client the client disconnected
     * @throws Exception any failure; the client's connection is then closed
     */
    default void onDisconnection(StreamClient<Resp> client) throws Exception {
    }

    /**
     * Called once when the server starts, after it is bound and before it accepts clients: registers resources
     * to close at stop, starts background tasks and binds scoped values for every client. Throwing makes the
     * start fail, after the resources registered so far are closed.
     *
     * @param context where resources and background tasks are registered
     * @throws Exception a failure that stops the server from starting
     */
    default void serviceInit(ServiceContext<Req, Resp> context) throws Exception {
    }
}
