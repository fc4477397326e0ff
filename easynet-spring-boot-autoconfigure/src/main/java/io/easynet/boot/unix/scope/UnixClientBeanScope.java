package io.easynet.boot.unix.scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.easynet.server.AttributeKey;
import io.easynet.server.StreamClient;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * The {@value #NAME} scope: a bean is created the first time a connection's code uses it, shared by everything
 * that connection calls, and destroyed (its destroy callbacks run) when the connection ends. The current client
 * is the one the core server binds for the connection's thread ({@link StreamClient#current()}), so the scope
 * works with any {@link io.easynet.server.AsyncUnixStreamServer}, managed or not.
 */
public final class UnixClientBeanScope implements Scope {

    /** The scope's name. */
    public static final String NAME = "unix-client";

    private static final Logger logger = LoggerFactory.getLogger(UnixClientBeanScope.class);

    /** This scope's own key, so that the scopes of two application contexts keep apart. */
    private final AttributeKey<ScopedBeans> beansKey = AttributeKey.of("unix-client scoped beans",
            ScopedBeans.class);

    /** Creates the scope; register it under {@link #NAME}. */
    public UnixClientBeanScope() {
    }

    @Override
    public Object get(String name, ObjectFactory<?> objectFactory) {
        return beans(name).get(name, objectFactory);
    }

    @Override
    public @Nullable Object remove(String name) {
        return beans(name).remove(name);
    }

    @Override
    public void registerDestructionCallback(String name, Runnable callback) {
        beans(name).registerDestructionCallback(name, callback);
    }

    /** Resolves {@code unixClient} to the current client, for expressions in scoped bean definitions. */
    @Override
    public @Nullable Object resolveContextualObject(String key) {
        return "unixClient".equals(key) ? StreamClient.currentIfAny().orElse(null) : null;
    }

    @Override
    public @Nullable String getConversationId() {
        return StreamClient.currentIfAny().map(StreamClient::id).orElse(null);
    }

    private ScopedBeans beans(String beanName) {
        StreamClient<?> client = StreamClient.currentIfAny().orElseThrow(() -> new IllegalStateException(
                "bean '" + beanName + "' is in the " + NAME + " scope, which exists only while a Unix stream "
                        + "server serves a client: use it from handler code, and inject it into singletons "
                        + "through a scoped proxy (@UnixClientScope does so by default)"));
        return client.attributes().computeIfAbsent(beansKey, () -> {
            ScopedBeans beans = new ScopedBeans(client.id());
            client.addCloseCallback(beans::destroy);
            return beans;
        });
    }

    /** The scoped beans of one connection, and their destroy callbacks. */
    private static final class ScopedBeans {

        private final String clientId;

        private final ReentrantLock lock = new ReentrantLock();

        private final Map<String, Object> beans = new LinkedHashMap<>();

        private final Map<String, Runnable> destructionCallbacks = new LinkedHashMap<>();

        private boolean destroyed;

        ScopedBeans(String clientId) {
            this.clientId = clientId;
        }

        Object get(String name, ObjectFactory<?> objectFactory) {
            // A reentrant lock, not computeIfAbsent: creating a bean may create other beans of this scope.
            lock.lock();
            try {
                checkNotDestroyed(name);
                Object bean = beans.get(name);
                if (bean == null) {
                    bean = objectFactory.getObject();
                    beans.put(name, bean);
                }
                return bean;
            } finally {
                lock.unlock();
            }
        }

        @Nullable Object remove(String name) {
            lock.lock();
            try {
                destructionCallbacks.remove(name);
                return beans.remove(name);
            } finally {
                lock.unlock();
            }
        }

        void registerDestructionCallback(String name, Runnable callback) {
            lock.lock();
            try {
                checkNotDestroyed(name);
                destructionCallbacks.put(name, callback);
            } finally {
                lock.unlock();
            }
        }

        /** A bean made after the connection's beans were destroyed would never be destroyed itself. */
        private void checkNotDestroyed(String name) {
            if (destroyed) {
                throw new IllegalStateException("bean '" + name + "' of the " + NAME + " scope was used after the "
                        + "connection of " + clientId + " ended and its beans were destroyed");
            }
        }

        /** Runs the destroy callbacks, last created bean first; one that throws does not stop the others. */
        void destroy() {
            List<Map.Entry<String, Runnable>> callbacks;
            lock.lock();
            try {
                destroyed = true;
                callbacks = new ArrayList<>(destructionCallbacks.entrySet());
                destructionCallbacks.clear();
                beans.clear();
            } finally {
                lock.unlock();
            }
            for (Map.Entry<String, Runnable> callback : callbacks.reversed()) {
                try {
                    callback.getValue().run();
                } catch (RuntimeException e) {
                    logger.error("Destroying bean '{}' of {} failed", callback.getKey(), clientId, e);
                }
            }
        }
    }
}
