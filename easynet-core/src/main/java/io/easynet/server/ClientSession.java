package io.easynet.server;

import io.easynet.internal.util.RateLimitedLog;
import io.easynet.server.ServerListener.DisconnectReason;
import io.easynet.server.ServerListener.Limit;
import io.easynet.transport.AncillaryTruncatedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The life of one client on its thread: {@code onConnection}, the {@code handle} rounds, then
 * {@code onDisconnection}, the close and the close callbacks, with the logging that says how it ended.
 */
final class ClientSession<Req, Resp> {

    private static final Logger logger = LoggerFactory.getLogger(AsyncUnixStreamServer.class);

    private final ServerClient<Req, Resp> client;

    private final StreamRequestHandler<Req, Resp> handler;

    private final ServerListener listener;

    private final Level connectionLogLevel;

    private final RateLimitedLog limitClosureLog;

    private DisconnectReason disconnectReason = DisconnectReason.NORMAL;

    ClientSession(ServerClient<Req, Resp> client, StreamRequestHandler<Req, Resp> handler, ServerOptions options,
            ServerListener listener, RateLimitedLog limitClosureLog) {
        this.client = client;
        this.limitClosureLog = limitClosureLog;
        this.handler = handler;
        this.listener = listener;
        this.connectionLogLevel = options.logClientConnections() ? Level.INFO : Level.DEBUG;
    }

    void run() {
        logger.atLevel(connectionLogLevel).log("{} connected", client);
        listener.clientConnected(client);
        boolean connected = false;
        try {
            handler.onConnection(client, client);
            connected = true;
            serveRounds();
        } catch (Throwable failure) {
            report(failure, connected ? "handle" : "onConnection");
        } finally {
            client.completeRequest();
            if (connected) {
                disconnect();
            }
            client.close();
            client.runCloseCallbacks();
            ServerClient.LimitClosure closure = client.limitClosure();
            // a limit that closed the client says more than the stop that may have come after it
            if (closure != null) {
                disconnectReason = closure.limit() == Limit.DESCRIPTORS ? DisconnectReason.ERROR
                        : DisconnectReason.TIMEOUT;
            } else if (client.isServerStopping()) {
                disconnectReason = DisconnectReason.SHUTDOWN;
            }
            if (closure != null) {
                // an idle client is routine; one that trickles packets, stops reading or hoards descriptors is worth
                // a look, but one that does so in a loop is worth one line every few seconds, not one per connection
                if (closure.limit() == Limit.IDLE_TIMEOUT) {
                    logger.atLevel(connectionLogLevel).log(closure.message());
                } else {
                    limitClosureLog.log(closure.message());
                }
            } else {
                logger.atLevel(connectionLogLevel).log("{} disconnected", client);
            }
            listener.clientDisconnected(client, disconnectReason);
        }
    }

    private void serveRounds() throws Exception {
        while (!client.isDone()) {
            int receivesBefore = client.receiveCalls();
            handler.handle(client, client);
            if (client.receiveCalls() == receivesBefore) {
                logger.debug("handle returned without receiving from {}; closing the connection", client);
                return;
            }
        }
    }

    private void disconnect() {
        try {
            handler.onDisconnection(client);
        } catch (Throwable failure) {
            report(failure, "onDisconnection");
        }
    }

    private void report(Throwable failure, String method) {
        if (isDisconnect(failure)) {
            logger.debug("{} ended in {}: {}", client, method, failure.getMessage());
        } else {
            logger.error("{} of {} failed; closing the connection", method, client, failure);
            disconnectReason = DisconnectReason.ERROR;
            listener.handlerFailed(client, failure);
        }
    }

    /**
     * Whether the failure only says that the connection is over, as opposed to a bug or fault to look at. Truncated
     * ancillary data closes the connection too, but lost bytes and descriptors are a fault to report.
     */
    private boolean isDisconnect(Throwable failure) {
        if (failure instanceof AncillaryTruncatedException) {
            return false;
        }
        return failure instanceof ClientDisconnectedException
                || (client.isDone() && (failure instanceof IOException || failure instanceof InterruptedException))
                || failure instanceof InterruptedIOException && client.isClosing();
    }
}
