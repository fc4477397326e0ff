package io.easynet.server;

import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one server, called in registration order; one that throws is logged and skipped.
 *
 * <p>The events of every packet (bytes and requests received, requests completed, responses sent) go through
 * {@link #eachWith}, whose calls capture nothing, so that reporting them allocates nothing per packet.
 */
final class ServerListeners implements ServerListener {

    private static final Logger logger = LoggerFactory.getLogger(ServerListeners.class);

    /** Replaced as a whole when one is added (before the server starts), so that iterating it needs no iterator. */
    private volatile ServerListener[] listeners = new ServerListener[0];

    /** Adds a listener; called under the server's state lock, so two adds never race. */
    void add(ServerListener listener) {
        ServerListener[] current = listeners;
        ServerListener[] added = Arrays.copyOf(current, current.length + 1);
        added[current.length] = listener;
        listeners = added;
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
        eachWith("bytesReceived", client, count, (listener, on, value) -> listener.bytesReceived(on, (int) value));
    }

    @Override
    public void requestReceived(StreamClient<?> client) {
        eachWith("requestReceived", client, 0, (listener, on, value) -> listener.requestReceived(on));
    }

    @Override
    public void requestCompleted(StreamClient<?> client, long durationNanos) {
        eachWith("requestCompleted", client, durationNanos, ServerListener::requestCompleted);
    }

    @Override
    public void responseSent(StreamClient<?> client, int size) {
        eachWith("responseSent", client, size, (listener, on, value) -> listener.responseSent(on, (int) value));
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
        return listeners.length == 0;
    }

    private void each(String event, Consumer<ServerListener> call) {
        for (ServerListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                failed(listener, event, e);
            }
        }
    }

    /** Calls every listener with the client and value as arguments, so that {@code call} need capture nothing. */
    private void eachWith(String event, StreamClient<?> client, long value, ClientEvent call) {
        for (ServerListener listener : listeners) {
            try {
                call.on(listener, client, value);
            } catch (RuntimeException e) {
                failed(listener, event, e);
            }
        }
    }

    private static void failed(ServerListener listener, String event, RuntimeException e) {
        logger.warn("Server listener {} failed on {}; ignoring it for this event", listener, event, e);
    }

    /** One per-packet event, told to one listener. */
    @FunctionalInterface
    private interface ClientEvent {

        void on(ServerListener listener, StreamClient<?> client, long value);
    }
}
