package io.easynet.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one server, called in registration order; one that throws is logged and skipped. */
final class ServerListeners implements ServerListener {

    private static final Logger logger = LoggerFactory.getLogger(ServerListeners.class);

    private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();

    void add(ServerListener listener) {
        listeners.add(listener);
    }

    @Override
    public void serverStarted(AsyncUnixStreamServer<?, ?> server) {
        each(listener -> listener.serverStarted(server));
    }

    @Override
    public void serverStopped(AsyncUnixStreamServer<?, ?> server) {
        each(listener -> listener.serverStopped(server));
    }

    @Override
    public void clientConnected(StreamClient<?> client) {
        each(listener -> listener.clientConnected(client));
    }

    @Override
    public void bytesReceived(StreamClient<?> client, int count) {
        each(listener -> listener.bytesReceived(client, count));
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        each(listener -> listener.requestReceived(client));
    }

    @Override
    public void responseSent(StreamClient<?> client, int size) {
        each(listener -> listener.responseSent(client, size));
    }

    @Override
    public void receiveFailed(StreamClient<?> client, Exception error) {
        each(listener -> listener.receiveFailed(client, error));
    }

    @Override
    public void handlerFailed(StreamClient<?> client, Throwable error) {
        each(listener -> listener.handlerFailed(client, error));
    }

    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        each(listener -> listener.clientDisconnected(client, reason));
    }

    private void each(Consumer<ServerListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        for (ServerListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                logger.warn("Server listener {} failed; ignoring it for this event", listener, e);
            }
        }
    }
}
