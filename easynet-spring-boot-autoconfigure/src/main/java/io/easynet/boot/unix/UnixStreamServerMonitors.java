package io.easynet.boot.unix;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.easynet.monitor.ConnectionMonitor;

import org.springframework.util.Assert;

/**
 * A customizer that adds a {@link ConnectionMonitor} to every managed server and keeps it by server name, so that
 * admin endpoints can list a server's clients and disconnect one. A server keeps its monitor across restarts:
 * each new core server its factory creates gets the same one.
 */
public final class UnixStreamServerMonitors implements UnixStreamServerCustomizer {

    private final Map<String, ConnectionMonitor> monitors = new ConcurrentHashMap<>();

    /** Creates the registry with no monitors; each server gets one when its factory is customized. */
    public UnixStreamServerMonitors() {
    }

    @Override
    public void customize(UnixStreamServerFactory<?, ?> factory) {
        Assert.notNull(factory, "'factory' must not be null");
        factory.addListener(monitors.computeIfAbsent(factory.getName(), name -> new ConnectionMonitor()));
    }

    /**
     * {@return the monitor of the server called {@code name}, if that server was customized by this bean}
     *
     * @param name the server's name
     */
    public Optional<ConnectionMonitor> get(String name) {
        return Optional.ofNullable(monitors.get(name));
    }
}
