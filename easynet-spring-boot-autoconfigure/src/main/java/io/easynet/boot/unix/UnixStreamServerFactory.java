package io.easynet.boot.unix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.easynet.protocol.StreamProtocol;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerListener;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.AbstractUnixAddress;

import org.springframework.util.Assert;

/**
 * Everything one named server is made of, which {@link UnixStreamServerCustomizer}s may change before the server
 * is created. A server runs once, so the factory creates a new one each time the application context starts it.
 *
 * @param <Req> the type of the requests
 * @param <Resp> the type of the responses
 */
public final class UnixStreamServerFactory<Req, Resp> {

    private final String name;

    private Path path;

    private StreamProtocol<Resp, Req> protocol;

    private StreamRequestHandler<Req, Resp> handler;

    private ServerOptions options;

    private final List<ServerListener> listeners = new ArrayList<>();

    /** Shared by the servers this factory creates, whose listeners are the same ones, so client ids stay unique. */
    private final AtomicLong clientNumbers = new AtomicLong();

    /**
     * Creates the factory of the server called {@code name}.
     *
     * @param name the server's name, as in {@code easynet.unix.servers.<name>}
     * @param path where the socket file is bound
     * @param protocol how responses are encoded and requests decoded
     * @param handler the service run for each client
     * @param options listen and serve options
     */
    public UnixStreamServerFactory(String name, Path path, StreamProtocol<Resp, Req> protocol,
            StreamRequestHandler<Req, Resp> handler, ServerOptions options) {
        Assert.hasText(name, "'name' must not be empty");
        this.name = name;
        setPath(path);
        setProtocol(protocol);
        setHandler(handler);
        setOptions(options);
    }

    /** {@return the server's name} */
    public String getName() {
        return name;
    }

    /** {@return where the socket file is bound, or {@code @name} for an address in the abstract namespace} */
    public Path getPath() {
        return path;
    }

    /**
     * Sets where the socket file is bound; {@code @name} binds {@code name} in the abstract namespace.
     *
     * @param path where the socket file is bound, or {@code @name} for an abstract address
     */
    public void setPath(Path path) {
        Assert.notNull(path, "'path' must not be null");
        this.path = path;
    }

    /** {@return how responses are encoded and requests decoded} */
    public StreamProtocol<Resp, Req> getProtocol() {
        return protocol;
    }

    /**
     * Sets how responses are encoded and requests decoded.
     *
     * @param protocol how responses are encoded and requests decoded
     */
    public void setProtocol(StreamProtocol<Resp, Req> protocol) {
        Assert.notNull(protocol, "'protocol' must not be null");
        this.protocol = protocol;
    }

    /** {@return the service run for each client} */
    public StreamRequestHandler<Req, Resp> getHandler() {
        return handler;
    }

    /**
     * Sets the service run for each client, for example a wrapper around the annotated bean.
     *
     * @param handler the service run for each client
     */
    public void setHandler(StreamRequestHandler<Req, Resp> handler) {
        Assert.notNull(handler, "'handler' must not be null");
        this.handler = handler;
    }

    /**
     * Listen and serve options.
     *
     * @return the listen and serve options
     */
    public ServerOptions getOptions() {
        return options;
    }

    /**
     * Sets the listen and serve options; start from {@code getOptions().toBuilder()} to change one.
     *
     * @param options the listen and serve options
     */
    public void setOptions(ServerOptions options) {
        Assert.notNull(options, "'options' must not be null");
        this.options = options;
    }

    /** {@return the listeners added to each server this factory creates, in order} */
    public List<ServerListener> getListeners() {
        return List.copyOf(listeners);
    }

    /**
     * Adds a listener to each server this factory creates.
     *
     * @param listener the listener to add
     */
    public void addListener(ServerListener listener) {
        Assert.notNull(listener, "'listener' must not be null");
        listeners.add(listener);
    }

    /**
     * Creates a new, unstarted server with the current settings. Its clients are numbered on from the previous
     * server's ({@code client#1} only for the first server), since the listeners carry over from one server to the
     * next and tell clients apart by id.
     *
     * @return the server, not yet started
     */
    public AsyncUnixStreamServer<Req, Resp> createServer() {
        var server = isAbstract(path)
                ? new AsyncUnixStreamServer<>(abstractAddress(path), protocol, handler, options,
                        clientNumbers::incrementAndGet)
                : new AsyncUnixStreamServer<>(path, protocol, handler, options, clientNumbers::incrementAndGet);
        listeners.forEach(server::addListener);
        return server;
    }

    /**
     * {@return whether {@code path} names an address in Linux's abstract namespace rather than a file: it starts with
     * {@code @}, as junixsocket and socat write such addresses}
     *
     * @param path the configured path
     */
    public static boolean isAbstract(Path path) {
        return path.toString().startsWith("@");
    }

    /** The abstract-namespace address an {@link #isAbstract(Path) abstract} path names. */
    static AbstractUnixAddress abstractAddress(Path path) {
        return AbstractUnixAddress.of(path.toString().substring(1));
    }

    @Override
    public String toString() {
        return "UnixStreamServerFactory[" + name + " on " + path + "]";
    }
}
