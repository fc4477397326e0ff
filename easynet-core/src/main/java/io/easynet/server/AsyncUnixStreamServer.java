package io.easynet.server;

import io.easynet.protocol.StreamProtocol;
import io.easynet.transport.SocketProxy;
import io.easynet.transport.UnixConnection;
import io.easynet.transport.UnixListener;
import io.easynet.transport.UnixTransport;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix-domain stream server: the Java form of EasyNetwork's {@code AsyncUnixStreamServer}.
 *
 * <p>It binds a socket file, accepts clients on a non-daemon platform thread (which keeps the JVM alive while the
 * server serves) and serves each client on its own thread (virtual unless
 * {@link ServerOptions#clientThreadFactory()} says otherwise), calling the {@link StreamRequestHandler} with
 * blocking code and no callbacks. Requests are decoded and responses encoded by the {@link StreamProtocol}.
 *
 * <pre>{@code
 * var server = new AsyncUnixStreamServer<>(Path.of("/run/app/app.sock"), StreamProtocol.of(JsonSerializer.tree()),
 *         (client, requests) -> client.send(requests.receive()), ServerOptions.defaults());
 * server.serveForever();
 * }</pre>
 *
 * <p>A server runs once: after {@link #stop(Duration)} a new instance is needed.
 *
 * @param <Req> the type of the requests
 * @param <Resp> the type of the responses
 */
public final class AsyncUnixStreamServer<Req, Resp> implements AutoCloseable {

    /** How long handlers get to end once their connections are force-closed at the end of a graceful stop. */
    public static final Duration FORCED_STOP_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger logger = LoggerFactory.getLogger(AsyncUnixStreamServer.class);

    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofMillis(100);

    private enum State { NEW, STARTING, SERVING, STOPPING, STOPPED }

    private final Path path;

    private final StreamProtocol<Resp, Req> protocol;

    private final StreamRequestHandler<Req, Resp> handler;

    private final ServerOptions options;

    private final UnixTransport transport;

    private final ReentrantLock stateLock = new ReentrantLock();

    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Map<ServerClient<Req, Resp>, Thread> connections = new ConcurrentHashMap<>();

    private final LongSupplier clientNumbers;

    private final Semaphore connectionPermits;

    private final ServiceStack<Req, Resp> service = new ServiceStack<>(this);

    private final ServerListeners listeners = new ServerListeners();

    private volatile State state = State.NEW;

    private @Nullable UnixListener listener;

    private @Nullable SocketFile socketFile;

    private @Nullable Thread acceptThread;

    private volatile @Nullable Instant startedAt;

    private List<ServiceStack.Binding<?>> serviceBindings = List.of();

    /**
     * Creates a server; nothing is bound until {@link #start()}.
     *
     * @param path where to bind the socket file
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     * @param options listen and serve options
     */
    public AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler,
            ServerOptions options) {
        this(path, protocol, handler, options, UnixTransport.jdk());
    }

    /**
     * Creates a server whose clients take their numbers ({@code client#<n>}) from {@code clientNumbers}, for a
     * service restarted with new server instances whose listeners are reused: one sequence shared by those servers
     * keeps client ids unique across them, so a client left behind by a forced stop is never confused with a new
     * one. The other constructors start a fresh sequence at 1 for each server.
     *
     * @param path where to bind the socket file
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     * @param options listen and serve options
     * @param clientNumbers the number of each client accepted, called once per client on the accept thread
     */
    public AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler,
            ServerOptions options, LongSupplier clientNumbers) {
        this(path, protocol, handler, options, UnixTransport.jdk(), clientNumbers);
    }

    /** Creates a server with the {@link ServerOptions#defaults() default options}. */
    public AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler) {
        this(path, protocol, handler, ServerOptions.defaults());
    }

    AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler,
            ServerOptions options, UnixTransport transport) {
        this(path, protocol, handler, options, transport, new AtomicLong()::incrementAndGet);
    }

    AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler,
            ServerOptions options, UnixTransport transport, LongSupplier clientNumbers) {
        this.path = Objects.requireNonNull(path, "path");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clientNumbers = Objects.requireNonNull(clientNumbers, "clientNumbers");
        this.connectionPermits = new Semaphore(options.maxConnections());
    }

    /** Where the socket file is bound. */
    public Path path() {
        return path;
    }

    /** The options the server was created with. */
    public ServerOptions options() {
        return options;
    }

    /**
     * Adds a listener to the server's events; listeners are called in the order they were added.
     *
     * @throws IllegalStateException if the server was already started, since it would miss events
     */
    public void addListener(ServerListener listener) {
        Objects.requireNonNull(listener, "listener");
        stateLock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("add listeners to the server on " + path + " before starting it");
            }
            listeners.add(listener);
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Binds the socket file, runs {@link StreamRequestHandler#serviceInit} and starts accepting clients; returns
     * once the server is listening.
     *
     * <p>A stale socket file at the path (one on which nobody answers, left by a process that died) is replaced
     * and a warning logged.
     *
     * @throws IOException naming the path if it is too long, its directory does not exist, a file that is not a
     *     socket is in the way, a live server answers there, or the bind fails
     * @throws ServiceInitException if {@code serviceInit} threw; everything it set up has been undone
     * @throws IllegalStateException if the server was already started
     */
    public void start() throws IOException {
        stateLock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("server on " + path + " was already started; a stopped server "
                        + "cannot be started again, create a new one");
            }
            state = State.STARTING;
            try {
                bindAndInitialize();
            } catch (IOException | RuntimeException | Error e) {
                abortStart(e);
                throw e;
            }
            Thread thread = Thread.ofPlatform().daemon(false).name("easynet-accept-" + path.getFileName())
                    .unstarted(this::acceptLoop);
            acceptThread = thread;
            startedAt = Instant.now();
            state = State.SERVING;
            thread.start();
            logger.info("Serving on {}", path);
            listeners.serverStarted(this);
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Starts the server if needed and blocks until it is stopped. If the calling thread is interrupted, the
     * server is stopped with the configured grace period before this throws.
     */
    public void serveForever() throws IOException, InterruptedException {
        if (state == State.NEW) {
            start();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            stop(options.shutdownGracePeriod());
            throw e;
        }
    }

    /** Whether the server is accepting and serving clients. */
    public boolean isServing() {
        return state == State.SERVING;
    }

    /** When the server started serving, or empty if it never did; kept once it stops. */
    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    /**
     * Checks whether new clients can still reach the server: it is serving, and the file at its path is still the
     * socket it bound (same device and inode). A socket file deleted or replaced behind the server's back, by a
     * clean-up job for instance, leaves a server that serves its connected clients while every new one fails.
     * Reads the file's attributes on each call: meant for health checks, not for hot paths.
     */
    public SocketFileState socketFileState() {
        if (state != State.SERVING) {
            return SocketFileState.NOT_LISTENING;
        }
        // both were set before the state became SERVING; an accept loop that ended leaves no one accepting
        SocketFile file = socketFile;
        Thread accepting = acceptThread;
        if (file == null || accepting == null || accepting.getState() == Thread.State.TERMINATED) {
            return SocketFileState.NOT_LISTENING;
        }
        return file.state();
    }

    /**
     * Options access to the listening socket, as EasyNetwork's {@code get_sockets()}: one proxy from bind (so
     * {@code serviceInit} can use it) until stop, none otherwise.
     */
    public List<SocketProxy> sockets() {
        UnixListener current = listener;
        State now = state;
        return current != null && (now == State.STARTING || now == State.SERVING) ? List.of(current.socket())
                : List.of();
    }

    /** The clients connected now. */
    public List<StreamClient<Resp>> clients() {
        return List.copyOf(connections.keySet());
    }

    /**
     * Stops the server gracefully: stops accepting and removes the socket file, lets handlers busy with a request
     * finish and their responses flush for up to {@code gracePeriod}, then closes the connections that remain.
     * Every client whose {@code onConnection} completed gets its {@code onDisconnection}. Last, the resources
     * {@code serviceInit} registered are closed. Returns within the grace period plus
     * {@link #FORCED_STOP_TIMEOUT} and the background tasks' stop timeouts, whatever the handlers do; a concurrent
     * call waits for the first one to finish. Idempotent.
     *
     * <p>Called from one of this server's handlers, it starts the stop on another thread and returns at once,
     * since the stop has to wait for that handler to return.
     */
    public void stop(Duration gracePeriod) {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        // A handler cannot wait for the stop: the stop waits for the handler.
        boolean calledByHandler = connections.containsValue(Thread.currentThread());
        stateLock.lock();
        State previous = state;
        try {
            switch (previous) {
                case NEW -> {
                    state = State.STOPPED;
                    stopped.countDown();
                    return;
                }
                case STARTING -> throw new IllegalStateException("server on " + path
                        + " cannot be stopped from serviceInit; throw from serviceInit to abort the start");
                case SERVING -> state = State.STOPPING;
                case STOPPING, STOPPED -> {
                    // another call stops it; wait for it below
                }
            }
        } finally {
            stateLock.unlock();
        }
        if (previous == State.SERVING && calledByHandler) {
            Thread.ofPlatform().name("easynet-stop-" + path.getFileName()).start(() -> shutDown(gracePeriod));
        } else if (previous == State.SERVING) {
            shutDown(gracePeriod);
        } else if (!calledByHandler) {
            awaitStoppedUninterruptibly();
        }
    }

    /** Stops the server with the configured {@link ServerOptions#shutdownGracePeriod() grace period}. */
    @Override
    public void close() {
        stop(options.shutdownGracePeriod());
    }

    @Override
    public String toString() {
        return "AsyncUnixStreamServer[" + path + ", " + state + "]";
    }

    private void bindAndInitialize() throws IOException {
        SocketFile.prepare(path, transport);
        listener = transport.listen(path, options.backlog());
        SocketFile file = SocketFile.bound(path);
        socketFile = file;
        file.applyMode(options.socketFileMode());
        try {
            handler.serviceInit(service);
        } catch (Exception e) {
            throw new ServiceInitException("serviceInit of the server on " + path + " failed: "
                    + Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()), e);
        }
        serviceBindings = service.freezeBindings();
    }

    private void abortStart(Throwable failure) {
        Exception closeFailure = service.close();
        if (closeFailure != null) {
            failure.addSuppressed(closeFailure);
        }
        closeListener();
        state = State.STOPPED;
        stopped.countDown();
    }

    private void closeListener() {
        UnixListener current = listener;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                logger.warn("Closing the listener on {} failed", path, e);
            }
        }
        SocketFile file = socketFile;
        if (file != null) {
            file.removeIfOurs();
        }
    }

    private void acceptLoop() {
        UnixListener current = Objects.requireNonNull(listener);
        while (state == State.SERVING) {
            try {
                connectionPermits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            UnixConnection connection;
            try {
                connection = current.accept();
            } catch (IOException e) {
                connectionPermits.release();
                if (state != State.SERVING || e instanceof ClosedChannelException) {
                    return;
                }
                logger.error("Accepting a client on {} failed; retrying in {} ms", path, ACCEPT_RETRY_DELAY.toMillis(),
                        e);
                try {
                    Thread.sleep(ACCEPT_RETRY_DELAY);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            try {
                serve(connection);
            } catch (Throwable e) {
                // e.g. OutOfMemoryError while setting the client up: drop this client, keep accepting others
                logger.error("Could not serve a new client on {}; closing its connection", path, e);
                closeQuietly(connection);
                connectionPermits.release();
                listeners.connectionRejected(this, ServerListener.RejectReason.ERROR);
            }
        }
    }

    private void serve(UnixConnection connection) {
        var client = new ServerClient<>(clientNumbers.getAsLong(), path, connection, protocol, options,
                listeners);
        List<ServiceStack.Binding<?>> bindings = new ArrayList<>(serviceBindings);
        bindings.add(new ServiceStack.Binding<StreamClient<?>>(ClientScope.CURRENT, client));
        Thread thread = options.clientThreadFactory().newThread(() -> {
            try {
                ServiceStack.runInScope(bindings, () -> new ClientSession<>(client, handler, options, listeners).run());
            } finally {
                connections.remove(client);
                connectionPermits.release();
            }
        });
        if (thread == null) {
            throw new IllegalStateException("clientThreadFactory made no thread for " + client);
        }
        thread.setName("easynet-" + client.id());
        stateLock.lock();
        try {
            if (state != State.SERVING) {
                client.closeQuietly();
                connectionPermits.release();
                listeners.connectionRejected(this, ServerListener.RejectReason.SHUTDOWN);
                return;
            }
            connections.put(client, thread);
            // started under the lock, so a stop that sees the client in connections can also join its thread
            try {
                thread.start();
            } catch (RuntimeException | Error e) {
                // the thread never ran, so its finally will not: undo here; the accept loop releases the permit,
                // reports the rejection and logs
                connections.remove(client);
                client.closeQuietly();
                throw e;
            }
        } finally {
            stateLock.unlock();
        }
    }

    private void shutDown(Duration gracePeriod) {
        boolean graceful = false;
        try {
            graceful = drain(gracePeriod);
            Exception closeFailure = service.close();
            if (closeFailure != null) {
                logger.warn("Closing what serviceInit registered on {} failed", path, closeFailure);
            }
            Thread accepting = acceptThread;
            if (accepting != null) {
                joinQuietly(accepting);
            }
        } finally {
            logger.info("Stopped the server on {} ({})", path, graceful ? "graceful" : "forced");
            listeners.serverStopped(this);
            state = State.STOPPED;
            stopped.countDown();
        }
    }

    /** Stops accepting, then lets the clients finish; returns whether they all did within the grace period. */
    private boolean drain(Duration gracePeriod) {
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        logger.info("Stopping the server on {}: {} clients connected, grace period {} ms", path, connections.size(),
                gracePeriod.toMillis());
        closeListener();
        Thread accepting = acceptThread;
        if (accepting != null) {
            accepting.interrupt();
        }
        Map<ServerClient<Req, Resp>, Thread> remaining = Map.copyOf(connections);
        remaining.keySet().forEach(ServerClient::beginShutdown);
        boolean graceful = joinAll(remaining.values(), deadline);
        if (!graceful) {
            List<String> forced = new ArrayList<>();
            remaining.forEach((client, thread) -> {
                if (thread.isAlive()) {
                    forced.add(client.id());
                    client.closeQuietly();
                    thread.interrupt();
                }
            });
            logger.warn("Grace period of {} ms over on {}: closed the connections of {}", gracePeriod.toMillis(), path,
                    forced);
            if (!joinAll(remaining.values(), System.nanoTime() + FORCED_STOP_TIMEOUT.toNanos())) {
                List<String> stuck = remaining.entrySet().stream().filter(entry -> entry.getValue().isAlive())
                        .map(entry -> entry.getKey().id()).toList();
                logger.warn("Handlers of {} on {} ignored the close and interrupt; leaving them behind", stuck, path);
            }
        }
        return graceful;
    }

    /** Joins the threads until the deadline, uninterruptibly (the interrupt is kept); whether all ended. */
    static boolean joinAll(Iterable<Thread> threads, long deadline) {
        boolean interrupted = false;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        thread.join(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinQuietly(Thread thread) {
        joinAll(List.of(thread), System.nanoTime() + FORCED_STOP_TIMEOUT.toNanos());
    }

    private void awaitStoppedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(UnixConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // the connection is being dropped anyway
        }
    }
}
