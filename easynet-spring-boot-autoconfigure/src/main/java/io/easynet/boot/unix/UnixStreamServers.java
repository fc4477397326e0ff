package io.easynet.boot.unix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.easynet.client.UnixStreamClient;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.util.Assert;

/**
 * The application's Unix stream servers, by name, and the lifecycle that runs them: they start once the context
 * is refreshed, so handlers may use any bean, and stop in Spring Boot's graceful-shutdown phase, all draining at
 * once. Inject it to reach a server, or to {@link #connect(String) connect} a client to one in a test.
 *
 * <p>Each started server publishes a {@link UnixStreamServerStartedEvent} and its bound path as the property
 * {@code local.easynet.unix.<name>.path}, as web servers publish {@code local.server.port}.
 */
public final class UnixStreamServers implements SmartLifecycle {

    /**
     * The phase servers start and stop in: Spring Boot's graceful-shutdown phase for web servers, so servers start
     * after other lifecycle beans and stop before them.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final String LOCAL_PROPERTY_SOURCE = "easynet.unix.local";

    private final Supplier<List<UnixStreamServerFactory<?, ?>>> factories;

    private final @Nullable ConfigurableEnvironment environment;

    private final ApplicationEventPublisher events;

    private final ReentrantLock lock = new ReentrantLock();

    private volatile @Nullable Map<String, ManagedUnixStreamServer<?, ?>> servers;

    /**
     * Creates the registry; {@code factories} is asked for the servers when they are first needed, so that they
     * are made once every bean is defined.
     *
     * @param factories the factories of the servers to run, one per name
     * @param environment where the bound paths are published, or {@code null} not to publish them
     * @param events where {@link UnixStreamServerStartedEvent}s are published
     */
    public UnixStreamServers(Supplier<List<UnixStreamServerFactory<?, ?>>> factories,
            @Nullable ConfigurableEnvironment environment, ApplicationEventPublisher events) {
        Assert.notNull(factories, "'factories' must not be null");
        Assert.notNull(events, "'events' must not be null");
        this.factories = factories;
        this.environment = environment;
        this.events = events;
    }

    /** {@return the servers, in the order they start} */
    public List<ManagedUnixStreamServer<?, ?>> getServers() {
        return List.copyOf(servers().values());
    }

    /**
     * {@return the server called {@code name}}
     *
     * @param name the server's name
     * @throws NoSuchElementException naming the servers there are
     */
    public ManagedUnixStreamServer<?, ?> get(String name) {
        Map<String, ManagedUnixStreamServer<?, ?>> all = servers();
        ManagedUnixStreamServer<?, ?> server = all.get(name);
        if (server == null) {
            throw new NoSuchElementException("no Unix stream server is called '" + name + "'; the servers are "
                    + all.keySet());
        }
        return server;
    }

    /**
     * Connects a client to the server called {@code name}, speaking its protocol in reverse. The types are the
     * server's request and response types, which the caller names as with {@code getBean}; the caller closes the
     * client.
     *
     * @param <Req> the type of the packets sent to the server
     * @param <Resp> the type of the packets received from it
     * @param name the server's name
     * @return a client connected to that server
     * @throws IOException if the server does not accept the connection
     */
    @SuppressWarnings("unchecked")
    public <Req, Resp> UnixStreamClient<Req, Resp> connect(String name) throws IOException {
        return ((ManagedUnixStreamServer<Req, Resp>) get(name)).connect();
    }

    /**
     * Starts every server that is not serving, in order; a server still draining from a stop is waited for. If one
     * fails, those this call started are stopped and the failure is thrown.
     *
     * @throws UnixStreamServerException naming the server that failed, with the cause
     */
    @Override
    public void start() {
        lock.lock();
        try {
            List<ManagedUnixStreamServer<?, ?>> started = new ArrayList<>();
            for (ManagedUnixStreamServer<?, ?> server : servers().values()) {
                try {
                    if (!server.start()) {
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    started.reversed().forEach(ManagedUnixStreamServer::stop);
                    throw new UnixStreamServerException(server.getName(), server.getPath(), e);
                }
                started.add(server);
                publishPath(server.getName(), server.getPath());
                events.publishEvent(new UnixStreamServerStartedEvent(server));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops every server at once, each with its grace period, and returns when all have stopped. */
    @Override
    public void stop() {
        Map<String, ManagedUnixStreamServer<?, ?>> current = servers;
        if (current == null) {
            return;
        }
        List<Thread> stopping = current.values().stream()
                .map(server -> Thread.ofPlatform().name("easynet-stop-" + server.getName()).start(server::stop))
                .toList();
        for (Thread thread : stopping) {
            joinUninterruptibly(thread);
        }
    }

    /** Stops every server at once on a separate thread, then runs {@code callback}, so other beans stop meanwhile. */
    @Override
    public void stop(Runnable callback) {
        Thread.ofPlatform().name("easynet-stop").start(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        });
    }

    /** Whether any server is serving, or still draining its clients in a stop. */
    @Override
    public boolean isRunning() {
        Map<String, ManagedUnixStreamServer<?, ?>> current = servers;
        return current != null && current.values().stream().anyMatch(ManagedUnixStreamServer::isRunning);
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private Map<String, ManagedUnixStreamServer<?, ?>> servers() {
        lock.lock();
        try {
            Map<String, ManagedUnixStreamServer<?, ?>> current = servers;
            if (current == null) {
                current = create(factories.get());
                servers = current;
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, ManagedUnixStreamServer<?, ?>> create(List<UnixStreamServerFactory<?, ?>> factories) {
        Map<String, ManagedUnixStreamServer<?, ?>> byName = new LinkedHashMap<>();
        Map<Path, String> byPath = new HashMap<>();
        for (UnixStreamServerFactory<?, ?> factory : factories) {
            String name = factory.getName();
            if (byName.containsKey(name)) {
                throw new UnixStreamServerConflictException("server name '" + name + "'",
                        List.of("server '" + name + "'", "server '" + name + "'"));
            }
            Path path = factory.getPath();
            String other = byPath.putIfAbsent(
                    UnixStreamServerFactory.isAbstract(path) ? path : path.toAbsolutePath().normalize(), name);
            if (other != null) {
                throw new UnixStreamServerConflictException("socket path " + factory.getPath(),
                        List.of("server '" + other + "'", "server '" + name + "'"));
            }
            byName.put(name, new ManagedUnixStreamServer<>(factory));
        }
        return byName;
    }

    private void publishPath(String name, Path path) {
        if (environment == null) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource local;
        if (sources.get(LOCAL_PROPERTY_SOURCE) instanceof MapPropertySource existing) {
            local = existing;
        } else {
            local = new MapPropertySource(LOCAL_PROPERTY_SOURCE, new LinkedHashMap<>());
            sources.addFirst(local);
        }
        local.getSource().put("local.easynet.unix." + name + ".path",
                UnixStreamServerFactory.isAbstract(path) ? path.toString() : path.toAbsolutePath().toString());
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
