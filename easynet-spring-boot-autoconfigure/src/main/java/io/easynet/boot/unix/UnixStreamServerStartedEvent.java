package io.easynet.boot.unix;

import java.nio.file.Path;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a managed server is bound and serving, like Spring Boot's {@code WebServerInitializedEvent}:
 * the moment its socket path can be handed to clients.
 */
public class UnixStreamServerStartedEvent extends ApplicationEvent {

    /**
     * Creates the event for {@code server}, which has just started.
     *
     * @param server the server that started
     */
    public UnixStreamServerStartedEvent(ManagedUnixStreamServer<?, ?> server) {
        super(server);
    }

    /** {@return the server that started} */
    public ManagedUnixStreamServer<?, ?> getServer() {
        return (ManagedUnixStreamServer<?, ?>) getSource();
    }

    /** {@return the server's name} */
    public String getName() {
        return getServer().getName();
    }

    /** {@return where the server is bound} */
    public Path getPath() {
        return getServer().getPath();
    }
}
