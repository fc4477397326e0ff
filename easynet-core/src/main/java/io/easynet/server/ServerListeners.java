package io.easynet.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
        each("serverStarted", listener -> listener.serverStarted(server));
    }

    @Override
    public void serverStopped(AsyncUnixStreamServer<?, ?> server) {
        each("serverStopped", listener -> listener.serverStopped(server));
    }

    @Override
    public void connectionRejected(AsyncUnixStreamServer<?, ?> server, RejectReason reason) {
        each("connectionRejected", listener -> listener.connectionRejected(server, reason));
    }

    @Override
    public void clientConnected(StreamClient<?> client) {
        each("clientConnected", listener -> listener.clientConnected(client));
    }

    @Override
    public void bytesReceived(StreamClient<?> client, int count) {
        each("bytesReceived", listener -> listener.bytesReceived(client, count));
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        each("requestReceived", listener -> listener.requestReceived(client));
    }

    @Override
    public void requestCompleted(StreamClient<?> client, long durationNanos) {
        each("requestCompleted", listener -> listener.requestCompleted(client, durationNanos));
    }

    @Override
    public void responseSent(StreamClient<?> client, int size) {
        each("responseSent", listener -> listener.responseSent(client, size));
    }

    @Override
    public void receiveFailed(StreamClient<?> client, Exception error) {
        each("receiveFailed", listener -> listener.receiveFailed(client, error));
    }

    @Override
    public void handlerFailed(StreamClient<?> client, Throwable error) {
        each("handlerFailed", listener -> listener.handlerFailed(client, error));
    }

    @Override
    public void limitReached(AsyncUnixStreamServer<?, ?> server, @Nullable StreamClient<?> client, Limit limit) {
        each("limitReached", listener -> listener.limitReached(server, client, limit));
    }

    @Override
    public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
        each("clientDisconnected", listener -> listener.clientDisconnected(client, reason));
    }

    /** Whether no listener was added, so that callers on the hot path can skip the calls altogether. */
    boolean isEmpty() {
        return listeners.isEmpty();
    }

    private void each(String event, Consumer<ServerListener> call) {
        for (ServerListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                logger.warn("Server listener {} failed on {}; ignoring it for this event", listener, event, e);
            }
        }
    }
}
