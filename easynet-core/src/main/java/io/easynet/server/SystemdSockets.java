package io.easynet.server;

import io.easynet.internal.transport.SocketActivation;
import io.easynet.internal.transport.UnixListener;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets systemd passed to this process, shared by its servers: taken from {@link SocketActivation}
 * once, when a server first starts, and each handed to one server at most, the one whose address it has.
 */
final class SystemdSockets {

    /** The sockets passed to this process. */
    static final SystemdSockets PROCESS = new SystemdSockets(SocketActivation::listeners);

    private static final Logger logger = LoggerFactory.getLogger(SystemdSockets.class);

    private final Source source;

    private final ReentrantLock lock = new ReentrantLock();

    /** The passed sockets, once taken from the source; an entry whose listener was handed out holds {@code null}. */
    private @Nullable List<Passed> passed;

    /** Why the sockets could not be taken from the source, or {@code null} if they could. */
    private @Nullable Exception unavailable;

    SystemdSockets(Source source) {
        this.source = source;
    }

    /**
     * Hands out the passed socket for a server on {@code address}: the one bound there, never one elsewhere, which
     * may be meant for another server. Returns {@code null} when the server should bind its own: nothing matches and
     * it does not require a passed socket.
     *
     * @throws IOException naming the address, if a passed socket is required and none fits, or the one at the
     *     address was already handed to an earlier server
     */
    @Nullable UnixListener claim(SocketAddress address, boolean requires) throws IOException {
        lock.lock();
        try {
            List<Passed> sockets = load(requires);
            Passed match = null;
            for (Passed socket : sockets) {
                if (sameAddress(socket.address, address)) {
                    match = socket;
                }
            }
            if (match == null) {
                if (requires) {
                    throw new IOException(sockets.isEmpty()
                            ? "requireSystemdSocket is set for the server on " + address
                                    + ", but systemd passed no socket to this process (LISTEN_PID and LISTEN_FDS do "
                                    + "not name it)"
                            : "requireSystemdSocket is set for the server on " + address
                                    + ", but none of the sockets systemd passed is there: "
                                    + sockets.stream().map(socket -> socket.address).toList());
                }
                return null;
            }
            UnixListener listener = match.listener;
            if (listener == null) {
                throw new IOException("the socket systemd passed at " + match.address + " was already used by an "
                        + "earlier server in this process, which closed it as it stopped; restart the process to serve "
                        + "on it again");
            }
            match.listener = null;
            return listener;
        } finally {
            lock.unlock();
        }
    }

    private List<Passed> load(boolean requires) throws IOException {
        if (passed == null && unavailable == null) {
            try {
                List<Passed> sockets = new ArrayList<>();
                for (UnixListener listener : source.listeners()) {
                    sockets.add(new Passed(listener.localAddress(), listener));
                }
                passed = sockets;
            } catch (IOException | RuntimeException e) {
                // taken by the application itself, malformed variables, or no native library for junixsocket
                // (which every server start reaches, JDK-transport ones too): servers that do not ask for one bind
                // their own
                unavailable = e;
                logger.warn("Cannot use the sockets systemd passed: {}", e.getMessage());
            }
        }
        if (unavailable != null) {
            if (requires) {
                throw new IOException("requireSystemdSocket is set, but the sockets systemd passed cannot be "
                        + "used: " + unavailable.getMessage(), unavailable);
            }
            return List.of();
        }
        return passed;
    }

    /** Whether two addresses name the same socket: the same abstract name, or paths that resolve alike. */
    static boolean sameAddress(SocketAddress one, SocketAddress other) {
        if (one instanceof UnixDomainSocketAddress first && other instanceof UnixDomainSocketAddress second) {
            return first.getPath().toAbsolutePath().normalize().equals(second.getPath().toAbsolutePath().normalize());
        }
        return one.equals(other);
    }

    /** Where the passed sockets come from: {@link SocketActivation#listeners()}, or a test's. */
    @FunctionalInterface
    interface Source {

        List<UnixListener> listeners() throws IOException;
    }

    /** One passed socket, and its listener until a server takes it. */
    private static final class Passed {

        final SocketAddress address;

        @Nullable UnixListener listener;

        Passed(SocketAddress address, UnixListener listener) {
            this.address = address;
            this.listener = listener;
        }
    }
}
