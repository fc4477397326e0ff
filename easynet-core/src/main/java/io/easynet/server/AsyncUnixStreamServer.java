package io.easynet.server;

import io.easynet.internal.transport.UnixConnection;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import io.easynet.internal.util.RateLimitedLog;
import io.easynet.internal.util.Uninterruptibles;
import io.easynet.protocol.StreamProtocol;
import io.easynet.server.ServerListener.RejectReason;
import io.easynet.transport.AbstractUnixAddress;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.SocketProxy;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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
import org.slf4j.event.Level;

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
 * <p>It listens on a socket file, on a name in Linux's abstract namespace, or on a socket systemd passed
 * ({@link ServerOptions#requireSystemdSocket()}). It runs on the JDK's channels unless it needs what only junixsocket
 * does: descriptor passing, peer credentials and access control, abstract names and systemd-passed sockets.
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

    /** Where the server listens: as configured, or once it serves on a socket systemd passed, that socket. */
    private volatile SocketAddress address;

    private final StreamProtocol<Resp, Req> protocol;

    private final StreamRequestHandler<Req, Resp> handler;

    private final ServerOptions options;

    private final UnixTransport transport;

    private final SystemdSockets systemdSockets;

    /** Whether the server listens on a socket systemd passed; set before it serves. */
    private volatile boolean servesSystemdSocket;

    /** Whether the peers' credentials are read at accept: the listener is junixsocket's; set before it serves. */
    private boolean readsCredentials;

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

    /** Why no new client is accepted now while serving, or {@code null} while accepting works. */
    private volatile @Nullable AcceptFailure acceptFailure;

    private final RateLimitedLog acceptFailureLog = new RateLimitedLog(logger, Level.ERROR);

    private final RateLimitedLog maxConnectionsLog = new RateLimitedLog(logger, Level.WARN);

    /** Clients closed for a limit other than idleness: a reconnecting slow client would otherwise flood the log. */
    private final RateLimitedLog limitClosureLog = new RateLimitedLog(logger, Level.WARN);

    private final RateLimitedLog sendRefusalLog = new RateLimitedLog(logger, Level.WARN);

    /** Enforces the send timeout and the minimum receive rate while the server runs; {@code null} without them. */
    private @Nullable TimeLimitWatchdog timeLimits;

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
        this(path, protocol, handler, options, new AtomicLong()::incrementAndGet);
    }

    /**
     * Creates a server on a name in Linux's abstract namespace: no socket file, so no mode, group or clean-up, and
     * reachable from the same network namespace only. It runs on junixsocket.
     *
     * @param address the abstract name to listen on
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     * @param options listen and serve options; {@code socketFileMode} and {@code socketFileGroup} must be unset
     * @throws IllegalArgumentException if a socket file mode or group is set
     * @throws UnsupportedOperationException if junixsocket has no native library for this platform
     */
    public AsyncUnixStreamServer(AbstractUnixAddress address, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options) {
        this(address, protocol, handler, options, new AtomicLong()::incrementAndGet);
    }

    /**
     * Creates a server on an abstract address whose clients take their numbers from {@code clientNumbers}, as the
     * {@linkplain #AsyncUnixStreamServer(Path, StreamProtocol, StreamRequestHandler, ServerOptions, LongSupplier)
     * constructor on a path} does.
     *
     * @param address the abstract address to listen on
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     * @param options the listen and serve options
     * @param clientNumbers supplies the number of each new client, shared by servers that replace each other
     * @throws IllegalArgumentException if a socket file mode or group is set
     * @throws UnsupportedOperationException if junixsocket has no native library for this platform
     */
    public AsyncUnixStreamServer(AbstractUnixAddress address, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options, LongSupplier clientNumbers) {
        this((SocketAddress) Objects.requireNonNull(address, "address"), protocol, handler, options, clientNumbers,
                SystemdSockets.PROCESS);
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
        this(UnixDomainSocketAddress.of(Objects.requireNonNull(path, "path")), protocol, handler, options,
                clientNumbers, SystemdSockets.PROCESS);
    }

    /**
     * Creates a server with the {@link ServerOptions#defaults() default options}.
     *
     * @param path where the socket file is bound
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     */
    public AsyncUnixStreamServer(Path path, StreamProtocol<Resp, Req> protocol, StreamRequestHandler<Req, Resp> handler) {
        this(path, protocol, handler, ServerOptions.defaults());
    }

    AsyncUnixStreamServer(SocketAddress address, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options, LongSupplier clientNumbers,
            SystemdSockets systemdSockets) {
        this.address = address;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        this.clientNumbers = Objects.requireNonNull(clientNumbers, "clientNumbers");
        this.systemdSockets = systemdSockets;
        boolean abstractName = address instanceof AbstractUnixAddress;
        if (abstractName && (options.socketFileMode() != null || options.socketFileGroup() != null)) {
            throw new IllegalArgumentException((options.socketFileMode() != null ? "socketFileMode" : "socketFileGroup")
                    + " does not apply to the abstract address " + address + ", which has no file");
        }
        this.transport = abstractName || options.needJunixsocket() ? UnixTransport.junixsocket() : UnixTransport.jdk();
        this.connectionPermits = new Semaphore(options.maxConnections());
    }

    /**
     * {@return where the socket file is: the configured path, or once the server serves on a socket systemd
     * passed, that socket's}
     *
     * @throws IllegalStateException if the server listens on an abstract address, which has no file
     */
    public Path path() {
        if (address instanceof UnixDomainSocketAddress file) {
            return file.getPath();
        }
        throw new IllegalStateException("the server on " + address + " listens on an abstract address and has no "
                + "socket file; see address()");
    }

    /**
     * {@return where the server listens: a {@link UnixDomainSocketAddress} or an {@link AbstractUnixAddress}; once it
     * serves on a socket systemd passed, that socket's address}
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * {@return whether the server serves on a socket systemd passed rather than one it bound; false until it started}
     */
    public boolean servesSystemdSocket() {
        return servesSystemdSocket;
    }

    /** {@return the options the server was created with} */
    public ServerOptions options() {
        return options;
    }

    /**
     * Adds a listener to the server's events; listeners are called in the order they were added.
     *
     * @param listener the listener to add
     * @throws IllegalStateException if the server was already started, since it would miss events
     */
    public void addListener(ServerListener listener) {
        Objects.requireNonNull(listener, "listener");
        stateLock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("add listeners to the server on " + address + " before starting it");
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
     * and a warning logged. A socket systemd passed at the server's address (or, with
     * {@link ServerOptions#requireSystemdSocket()}, the only one it passed) is used instead of binding.
     *
     * @throws IOException naming the path if it is too long, its directory does not exist, a file that is not a
     *     socket is in the way, a live server answers there, the bind fails, the mode or group cannot be applied, or
     *     {@code requireSystemdSocket} is set and no passed socket fits
     * @throws ServiceInitException if {@code serviceInit} threw; everything it set up has been undone
     * @throws IllegalStateException if the server was already started
     */
    public void start() throws IOException {
        stateLock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("server on " + address + " was already started; a stopped server "
                        + "cannot be started again, create a new one");
            }
            state = State.STARTING;
            UnixConnection waiting;
            try {
                bindAndInitialize();
                waiting = acceptIfWaiting();
            } catch (IOException | RuntimeException | Error e) {
                abortStart(e);
                throw e;
            }
            Thread thread = Thread.ofPlatform().daemon(false).name("easynet-accept-" + shortName())
                    .unstarted(() -> acceptLoop(waiting));
            acceptThread = thread;
            startedAt = Instant.now();
            state = State.SERVING;
            thread.start();
            timeLimits = TimeLimitWatchdog.start(options, "easynet-time-limits-" + shortName(),
                    () -> connections.keySet().forEach(client -> client.enforceTimeLimits(System.nanoTime())));
            logger.info(servesSystemdSocket ? "Serving on {}, a socket systemd passed" : "Serving on {}", address);
            listeners.serverStarted(this);
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Starts the server if needed and blocks until it is stopped. If the calling thread is interrupted, the
     * server is stopped with the configured grace period before this throws.
     *
     * @throws IOException if the socket cannot be bound or accepting fails
     * @throws InterruptedException if the calling thread is interrupted while serving
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

    /** {@return whether the server is accepting and serving clients} */
    public boolean isServing() {
        return state == State.SERVING;
    }

    /** {@return when the server started serving, or empty if it never did; kept once it stops} */
    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    /**
     * {@return why the server accepts no new clients now although it is serving, or empty while accepting works}
     * Either its accept loop ended (the listener was closed underneath it, say), which is for good; or accepts fail
     * and are retried every 100 ms, most often because the process is out of file descriptors, until one succeeds.
     * Meant for health checks: clients already connected are still served meanwhile.
     */
    public Optional<AcceptFailure> acceptFailure() {
        return Optional.ofNullable(acceptFailure);
    }

    /**
     * Checks whether new clients can still reach the server: it is serving, and the file at its path is still the
     * socket it bound (same device and inode). A socket file deleted or replaced behind the server's back, by a
     * clean-up job for instance, leaves a server that serves its connected clients while every new one fails.
     * Reads the file's attributes on each call: meant for health checks, not for hot paths. A server on an abstract
     * address has no file: {@link SocketFileState#ABSTRACT} while it listens. The file of a socket systemd passed is
     * checked as it was when the server took the socket.
     *
     * @return the state of the socket file
     */
    public SocketFileState socketFileState() {
        if (state != State.SERVING) {
            return SocketFileState.NOT_LISTENING;
        }
        // all were set before the state became SERVING; an accept loop that ended leaves no one accepting
        Thread accepting = acceptThread;
        if (listener == null || accepting == null || accepting.getState() == Thread.State.TERMINATED) {
            return SocketFileState.NOT_LISTENING;
        }
        SocketFile file = socketFile;
        return file == null ? SocketFileState.ABSTRACT : file.state();
    }

    /**
     * {@return options access to the listening socket, as EasyNetwork's {@code get_sockets()}: one proxy from bind (so
     * {@code serviceInit} can use it) until stop, none otherwise}
     */
    public List<SocketProxy> sockets() {
        UnixListener current = listener;
        State now = state;
        return current != null && (now == State.STARTING || now == State.SERVING) ? List.of(current.socket())
                : List.of();
    }

    /** {@return the clients connected now} */
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
     *
     * @param gracePeriod how long handlers may finish the requests they are serving
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
                case STARTING -> throw new IllegalStateException("server on " + address
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
            Thread.ofPlatform().name("easynet-stop-" + shortName()).start(() -> shutDown(gracePeriod));
        } else if (previous == State.SERVING) {
            shutDown(gracePeriod);
        } else if (!calledByHandler) {
            Uninterruptibles.await(stopped);
        }
    }

    /** Stops the server with the configured {@link ServerOptions#shutdownGracePeriod() grace period}. */
    @Override
    public void close() {
        stop(options.shutdownGracePeriod());
    }

    @Override
    public String toString() {
        return "AsyncUnixStreamServer[" + address + ", " + state + "]";
    }

    /** The socket's file name or abstract name, for thread names. */
    private String shortName() {
        return address instanceof AbstractUnixAddress name ? name.toString()
                : String.valueOf(((UnixDomainSocketAddress) address).getPath().getFileName());
    }

    private void bindAndInitialize() throws IOException {
        listen();
        try {
            handler.serviceInit(service);
        } catch (Exception e) {
            throw new ServiceInitException("serviceInit of the server on " + address + " failed: "
                    + Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()), e);
        }
        serviceBindings = service.freezeBindings();
    }

    /**
     * Takes the socket systemd passed for this server if there is one, else binds: an abstract name as it is, a
     * socket file with {@link SocketFile#bind}, with its mode and group applied before it appears
     * at its path.
     */
    private void listen() throws IOException {
        UnixListener passed = systemdSockets.claim(address, options.requireSystemdSocket());
        if (passed != null) {
            listener = passed;
            servesSystemdSocket = true;
            readsCredentials = true;
            address = passed.localAddress();
            if (address instanceof UnixDomainSocketAddress file) {
                socketFile = SocketFile.bound(file.getPath());
            }
            if (options.socketFileMode() != null || options.socketFileGroup() != null) {
                logger.warn("socketFileMode and socketFileGroup are not applied to {}, a socket systemd passed: its "
                        + "unit's SocketMode= and SocketGroup= set them", address);
            }
            return;
        }
        readsCredentials = transport != UnixTransport.jdk();
        if (address instanceof UnixDomainSocketAddress file) {
            Path path = file.getPath();
            SocketFile.Listening bound = SocketFile.bind(path, transport, options.backlog(),
                    options.socketFileMode(), options.socketFileGroup());
            listener = bound.listener();
            socketFile = bound.file();
        } else {
            listener = transport.listen((AbstractUnixAddress) address, options.backlog());
        }
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
                logger.warn("Closing the listener on {} failed", address, e);
            }
        }
        SocketFile file = socketFile;
        // a passed socket's file belongs to systemd, which keeps listening on it for the next start
        if (file != null && !servesSystemdSocket) {
            file.removeIfOurs();
        }
    }

    /**
     * Checks, before the server says it started, that its listener accepts: a listener that cannot accept fails the
     * start instead of leaving a server that says it serves while every client is refused. A client already waiting
     * is accepted here and is the accept loop's first.
     */
    private @Nullable UnixConnection acceptIfWaiting() throws IOException {
        try {
            return Objects.requireNonNull(listener).acceptIfWaiting();
        } catch (ClosedChannelException e) {
            throw new IOException("the server on " + address + " cannot accept clients: its listener was closed "
                    + "underneath it", e);
        } catch (IOException e) {
            throw new IOException("the server on " + address + " cannot accept clients: "
                    + AcceptFailure.describe(e), e);
        }
    }

    /**
     * Accepts clients until the server stops. Whatever else ends it (the listener closed underneath the server, an
     * unexpected exception) is logged at ERROR with its cause and reported by {@link #acceptFailure()}.
     */
    private void acceptLoop(@Nullable UnixConnection waiting) {
        try {
            if (waiting != null) {
                try {
                    acquireConnectionPermit();
                } catch (InterruptedException e) {
                    closeQuietly(waiting);
                    throw e;
                }
                admit(waiting);
            }
            UnixListener current = Objects.requireNonNull(listener);
            while (state == State.SERVING) {
                acquireConnectionPermit();
                UnixConnection connection;
                try {
                    connection = current.accept();
                } catch (IOException e) {
                    connectionPermits.release();
                    if (state != State.SERVING || e instanceof ClosedChannelException) {
                        throw e;
                    }
                    acceptFailed(e);
                    Thread.sleep(ACCEPT_RETRY_DELAY);
                    continue;
                }
                acceptSucceeded();
                admit(connection);
            }
        } catch (Throwable e) {
            // our own stop closes the listener and interrupts this thread once the state is no longer SERVING
            if (state == State.SERVING) {
                acceptLoopEnded(e);
            }
        }
    }

    private void acceptFailed(IOException failure) {
        AcceptFailure previous = acceptFailure;
        String cause = AcceptFailure.describe(failure);
        acceptFailure = new AcceptFailure(false, cause, previous == null ? Instant.now() : previous.since(),
                previous == null ? 1 : previous.failures() + 1);
        acceptFailureLog.log("Accepting a client on " + address + " failed (" + cause + "); retrying every "
                + ACCEPT_RETRY_DELAY.toMillis() + " ms, new clients wait in the backlog meanwhile", failure);
    }

    private void acceptSucceeded() {
        AcceptFailure previous = acceptFailure;
        if (previous != null) {
            acceptFailure = null;
            logger.info("Accepting clients on {} again, after {} failed accepts in {} ms", address,
                    previous.failures(), Duration.between(previous.since(), Instant.now()).toMillis());
        }
    }

    private void acceptLoopEnded(Throwable failure) {
        String cause = failure instanceof InterruptedException
                ? "java.lang.InterruptedException: the accept thread was interrupted"
                : AcceptFailure.describe(failure);
        AcceptFailure previous = acceptFailure;
        acceptFailure = new AcceptFailure(true, cause, previous == null ? Instant.now() : previous.since(),
                previous == null ? 1 : previous.failures() + 1);
        logger.error("The server on {} stopped accepting clients ({}): new clients are refused until it is "
                + "restarted; the {} connected are still served", address, cause, connections.size(), failure);
    }

    /** Checks a new connection's peer against the access policy, then serves it; a refused one is closed. */
    private void admit(UnixConnection connection) {
        PeerCredentials peer = null;
        if (readsCredentials) {
            try {
                peer = connection.peerCredentials();
            } catch (IOException | RuntimeException e) {
                logger.warn("Could not read the credentials of a new client on {}; closing its connection", address,
                        e);
                reject(connection, RejectReason.ERROR);
                return;
            }
            if (!options.accessPolicy().allows(peer)) {
                logger.warn("Refused a connection on {} from pid {} (uid {}, gid {}): only {} may connect", address,
                        peer.pid(), Integer.toUnsignedString(peer.uid()), Integer.toUnsignedString(peer.gid()),
                        options.accessPolicy());
                reject(connection, RejectReason.DENIED);
                return;
            }
        }
        try {
            serve(connection, peer);
        } catch (Throwable e) {
            // e.g. OutOfMemoryError while setting the client up: drop this client, keep accepting others
            logger.error("Could not serve a new client on {}; closing its connection", address, e);
            reject(connection, RejectReason.ERROR);
        }
    }

    /**
     * Waits until fewer than {@link ServerOptions#maxConnections()} clients are served. Meanwhile new connections
     * wait in the kernel's backlog: none is accepted only to be closed, so a client that connects at the limit is
     * served as soon as another leaves; beyond the backlog a blocking connect waits (EasyNet's client up to its
     * connect timeout) and a non-blocking one fails with EAGAIN.
     */
    private void acquireConnectionPermit() throws InterruptedException {
        if (connectionPermits.tryAcquire()) {
            return;
        }
        // rate-limited, so that a server that runs at its limit does not flood the log; the metrics count every time
        maxConnectionsLog.log(options.maxConnections() + " clients are connected to " + address + ", its "
                + "maxConnections: new connections wait in the backlog (at most " + options.backlog() + ") until a "
                + "client leaves");
        listeners.limitReached(this, null, ServerListener.Limit.MAX_CONNECTIONS);
        connectionPermits.acquire();
        logger.debug("A client left {}; accepting connections again", address);
    }

    /** {@return the log of sends refused for {@link ServerOptions#maxQueuedSends()}, shared by the clients} */
    RateLimitedLog sendRefusalLog() {
        return sendRefusalLog;
    }

    /** Closes a connection the server will not serve, and reports it. */
    private void reject(UnixConnection connection, RejectReason reason) {
        closeQuietly(connection);
        connectionPermits.release();
        listeners.connectionRejected(this, reason);
    }

    private void serve(UnixConnection connection, @Nullable PeerCredentials peer) {
        var client = new ServerClient<>(clientNumbers.getAsLong(), this, address, connection, protocol, options,
                listeners, peer);
        List<ServiceStack.Binding<?>> bindings = new ArrayList<>(serviceBindings);
        bindings.add(new ServiceStack.Binding<StreamClient<?>>(ClientScope.CURRENT, client));
        Thread thread = options.clientThreadFactory().newThread(() -> {
            try {
                ServiceStack.runInScope(bindings, () -> new ClientSession<>(client, handler, options, listeners,
                        limitClosureLog).run());
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
            TimeLimitWatchdog watchdog = timeLimits;
            if (watchdog != null) {
                watchdog.stop();
            }
            Exception closeFailure = service.close();
            if (closeFailure != null) {
                logger.warn("Closing what serviceInit registered on {} failed", address, closeFailure);
            }
            Thread accepting = acceptThread;
            if (accepting != null) {
                Uninterruptibles.joinAll(List.of(accepting), System.nanoTime() + FORCED_STOP_TIMEOUT.toNanos());
            }
        } finally {
            logger.info("Stopped the server on {} ({})", address, graceful ? "graceful" : "forced");
            listeners.serverStopped(this);
            state = State.STOPPED;
            stopped.countDown();
        }
    }

    /** Stops accepting, then lets the clients finish; returns whether they all did within the grace period. */
    private boolean drain(Duration gracePeriod) {
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        logger.info("Stopping the server on {}: {} clients connected, grace period {} ms", address, connections.size(),
                gracePeriod.toMillis());
        closeListener();
        Thread accepting = acceptThread;
        if (accepting != null) {
            accepting.interrupt();
        }
        Map<ServerClient<Req, Resp>, Thread> remaining = Map.copyOf(connections);
        remaining.keySet().forEach(ServerClient::beginShutdown);
        boolean graceful = Uninterruptibles.joinAll(remaining.values(), deadline);
        if (!graceful) {
            List<String> forced = new ArrayList<>();
            remaining.forEach((client, thread) -> {
                if (thread.isAlive()) {
                    forced.add(client.id());
                    client.closeQuietly();
                    thread.interrupt();
                }
            });
            logger.warn("Grace period of {} ms over on {}: closed the connections of {}", gracePeriod.toMillis(),
                    address, forced);
            if (!Uninterruptibles.joinAll(remaining.values(), System.nanoTime() + FORCED_STOP_TIMEOUT.toNanos())) {
                List<String> stuck = remaining.entrySet().stream().filter(entry -> entry.getValue().isAlive())
                        .map(entry -> entry.getKey().id()).toList();
                logger.warn("Handlers of {} on {} ignored the close and interrupt; leaving them behind", stuck,
                        address);
            }
        }
        return graceful;
    }

    private static void closeQuietly(UnixConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // the connection is being dropped anyway
        }
    }
}
