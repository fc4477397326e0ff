package io.easynet.server;

import io.easynet.internal.util.Uninterruptibles;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServiceContext} of one server: the exit stack of what {@code serviceInit} registered and started,
 * and the scoped values it bound.
 */
final class ServiceStack<Req, Resp> implements ServiceContext<Req, Resp> {

    private static final Logger logger = LoggerFactory.getLogger(ServiceStack.class);

    /** How long a background task may take to end once interrupted before stop moves on without it. */
    static final Duration BACKGROUND_TASK_STOP_TIMEOUT = Duration.ofSeconds(2);

    private final AsyncUnixStreamServer<Req, Resp> server;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private final List<Binding<?>> bindings = new ArrayList<>();

    private boolean bindingsFrozen;

    private boolean closed;

    ServiceStack(AsyncUnixStreamServer<Req, Resp> server) {
        this.server = server;
    }

    @Override
    public AsyncUnixStreamServer<Req, Resp> server() {
        return server;
    }

    @Override
    public synchronized <T extends AutoCloseable> T register(T resource) {
        Objects.requireNonNull(resource, "resource");
        if (closed) {
            throw new IllegalStateException("the server on " + server.address() + " is stopping; " + resource
                    + " would never be closed");
        }
        resources.push(resource);
        return resource;
    }

    @Override
    public Thread startBackgroundTask(String name, BackgroundTask task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        List<Binding<?>> visible = List.copyOf(bindings());
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> runInScope(visible, () -> runTask(name, task)));
        register(() -> stopTask(thread));
        thread.start();
        return thread;
    }

    @Override
    public synchronized <T> void bind(ScopedValue<T> key, T value) {
        if (bindingsFrozen) {
            throw new IllegalStateException("bind scoped values in serviceInit of the server on " + server.address()
                    + "; clients already being served would not see them");
        }
        bindings.add(new Binding<>(Objects.requireNonNull(key, "key"), value));
    }

    /** The scoped values bound in {@code serviceInit}; no more can be bound after this. */
    synchronized List<Binding<?>> freezeBindings() {
        bindingsFrozen = true;
        return List.copyOf(bindings);
    }

    private synchronized List<Binding<?>> bindings() {
        return List.copyOf(bindings);
    }

    /**
     * Closes the registered resources and stops the background tasks, last registered first. Failures do not stop
     * the others from closing; they are returned, the first with the rest suppressed in it.
     */
    @Nullable Exception close() {
        Exception failure = null;
        while (true) {
            AutoCloseable resource;
            synchronized (this) {
                closed = true;
                resource = resources.poll();
            }
            if (resource == null) {
                return failure;
            }
            try {
                resource.close();
            } catch (Exception e) {
                Exception named = new Exception("closing " + resource + " failed: " + e.getMessage(), e);
                if (failure == null) {
                    failure = named;
                } else {
                    failure.addSuppressed(named);
                }
            }
        }
    }

    /** Runs {@code action} with the scoped values of {@code bindings} bound. */
    static void runInScope(List<Binding<?>> bindings, Runnable action) {
        if (bindings.isEmpty()) {
            action.run();
            return;
        }
        ScopedValue.Carrier carrier = bindings.getFirst().bind();
        for (Binding<?> binding : bindings.subList(1, bindings.size())) {
            carrier = binding.bind(carrier);
        }
        carrier.run(action);
    }

    private void runTask(String name, BackgroundTask task) {
        try {
            task.run();
        } catch (InterruptedException e) {
            logger.debug("Background task {} of server {} interrupted", name, server.address());
        } catch (Exception | Error e) {
            logger.error("Background task {} of server {} failed", name, server.address(), e);
        }
    }

    private void stopTask(Thread thread) {
        thread.interrupt();
        if (!Uninterruptibles.joinAll(List.of(thread), System.nanoTime() + BACKGROUND_TASK_STOP_TIMEOUT.toNanos())) {
            logger.warn("Background task {} of server {} did not end within {} ms of being interrupted; "
                    + "leaving it behind", thread.getName(), server.address(), BACKGROUND_TASK_STOP_TIMEOUT.toMillis());
        }
    }

    /** One scoped value and what it is bound to. */
    record Binding<T>(ScopedValue<T> key, T value) {

        ScopedValue.Carrier bind() {
            return ScopedValue.where(key, value);
        }

        ScopedValue.Carrier bind(ScopedValue.Carrier carrier) {
            return carrier.where(key, value);
        }
    }
}
