package io.easynet.boot.unix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;

import org.jspecify.annotations.Nullable;

/**
 * One named server run by {@link UnixStreamServers}: it creates a new {@link AsyncUnixStreamServer} from its
 * {@link UnixStreamServerFactory} each time it starts, since a core server runs once.
 *
 * @param <Req> the type of the requests
 * @param <Resp> the type of the responses
 */
public final class ManagedUnixStreamServer<Req, Resp> {

    private final UnixStreamServerFactory<Req, Resp> factory;

    private final ReentrantLock lock = new ReentrantLock();

    private volatile @Nullable AsyncUnixStreamServer<Req, Resp> server;

    private volatile boolean stopping;

    ManagedUnixStreamServer(UnixStreamServerFactory<Req, Resp> factory) {
        this.factory = factory;
    }

    /** {@return the server's name, as in {@code easynet.unix.servers.<name>}} */
    public String getName() {
        return factory.getName();
    }

    /** {@return where the socket file is bound, or {@code @name} for an address in the abstract namespace} */
    public Path getPath() {
        return factory.getPath();
    }

    /** {@return how the server encodes responses and decodes requests} */
    public StreamProtocol<Resp, Req> getProtocol() {
        return factory.getProtocol();
    }

    /** {@return the listen and serve options each new core server is created with} */
    public ServerOptions getOptions() {
        return factory.getOptions();
    }

    /** {@return the core server running now, if any} */
    public Optional<AsyncUnixStreamServer<Req, Resp>> getServer() {
        return Optional.ofNullable(server);
    }

    /**
     * {@return whether the server is serving clients or still draining them in a stop: a server counts as stopped only
     * once every client is gone and its socket file is removed}
     */
    public boolean isRunning() {
        AsyncUnixStreamServer<Req, Resp> current = server;
        return current != null && (current.isServing() || stopping);
    }

    /**
     * Connects a client to this server, speaking its protocol in reverse: it sends requests and receives
     * responses. Made for tests and admin tools; the caller closes the client.
     *
     * @return a client connected to this server
     * @throws IOException if the server does not accept the connection
     */
    public UnixStreamClient<Req, Resp> connect() throws IOException {
        Path path = getPath();
        return UnixStreamServerFactory.isAbstract(path)
                ? UnixStreamClient.connect(UnixStreamServerFactory.abstractAddress(path), getProtocol().reversed())
                : UnixStreamClient.connect(path, getProtocol().reversed());
    }

    /**
     * Starts a new core server, unless one is serving; returns once it listens, and whether it started one. A stop
     * in progress is waited for first, so two servers never share the path or the handler's {@code serviceInit}
     * resources.
     */
    boolean start() throws IOException {
        lock.lock();
        try {
            AsyncUnixStreamServer<Req, Resp> current = server;
            if (current != null && current.isServing()) {
                return false;
            }
            server = null;
            AsyncUnixStreamServer<Req, Resp> created = factory.createServer();
            created.start();
            server = created;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the running server, letting its handlers finish for up to its configured grace period; returns once
     * it has stopped. Until then the server counts as running and stays visible through {@link #getServer()}.
     */
    void stop() {
        lock.lock();
        try {
            AsyncUnixStreamServer<Req, Resp> current = server;
            if (current == null) {
                return;
            }
            stopping = true;
            current.stop(current.options().shutdownGracePeriod());
            server = null;
        } finally {
            stopping = false;
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManagedUnixStreamServer[" + getName() + " on " + getPath() + (isRunning() ? ", running]" : "]");
    }
}
