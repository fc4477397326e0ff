package io.easynet.internal.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets systemd passes to a socket-activated service: descriptors 3 onwards, as many as
 * {@code LISTEN_FDS} says, meant for this process when {@code LISTEN_PID} is its pid. A service uses them instead
 * of binding, so systemd can start it on the first connection and keep the socket across restarts.
 *
 * <p>The JDK cannot adopt a descriptor, so the listeners are junixsocket's. Unlike {@code sd_listen_fds}, the
 * environment is left as it is (Java cannot change it) and the descriptors keep their inheritable flag, which does
 * not matter for processes the JDK starts: it closes every other descriptor in the child.
 */
public final class SocketActivation {

    /** The first descriptor systemd passes ({@code SD_LISTEN_FDS_START}). */
    static final int FIRST_DESCRIPTOR = 3;

    private static final AtomicBoolean TAKEN = new AtomicBoolean();

    private static final Logger logger = LoggerFactory.getLogger(SocketActivation.class);

    private SocketActivation() {
    }

    /**
     * Takes the listening Unix-domain sockets passed to this process, in the order systemd passed them; none when
     * the service was not socket-activated. They are handed out once: each descriptor must have one owner. A passed
     * descriptor that is not one, such as a TCP socket meant for another part of the application, is left open and
     * alone, with a warning naming it and why.
     *
     * @return the listeners, in the order systemd passed them
     * @throws IllegalStateException if they were already taken, or the variables are malformed
     * @throws UnsupportedOperationException if junixsocket has no native library for this platform
     */
    public static List<UnixListener> listeners() {
        int count = passedCount(System.getenv(), ProcessHandle.current().pid());
        if (count == 0) {
            return List.of();
        }
        JunixsocketTransport transport = JunixsocketTransport.instance();
        if (!TAKEN.compareAndSet(false, true)) {
            throw new IllegalStateException("the " + count + " sockets systemd passed were already taken by an "
                    + "earlier SocketActivation.listeners() call");
        }
        return adopt(FIRST_DESCRIPTOR, count, transport::inherited);
    }

    /** Adopts descriptors {@code first} to {@code first + count - 1} each on its own, skipping those that fail. */
    static List<UnixListener> adopt(int first, int count, Adopter adopter) {
        List<UnixListener> listeners = new ArrayList<>(count);
        for (int descriptor = first; descriptor < first + count; descriptor++) {
            try {
                listeners.add(adopter.adopt(descriptor));
            } catch (IOException | RuntimeException e) {
                logger.warn("Skipping descriptor {} that systemd passed: {}", descriptor, e.getMessage());
            }
        }
        return List.copyOf(listeners);
    }

    /** Makes a listener of a passed descriptor: the transport's, or a test's. */
    @FunctionalInterface
    interface Adopter {

        UnixListener adopt(int descriptor) throws IOException;
    }

    /**
     * How many sockets the environment passes to the process {@code pid}: 0 when {@code LISTEN_PID} is unset or
     * names another process, which is how systemd's own {@code sd_listen_fds} reads it.
     *
     * @throws IllegalStateException naming the variable if a value is not a number, or the count is negative
     */
    static int passedCount(Map<String, String> environment, long pid) {
        String listenPid = environment.get("LISTEN_PID");
        String listenFds = environment.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null || parse("LISTEN_PID", listenPid) != pid) {
            return 0;
        }
        long count = parse("LISTEN_FDS", listenFds);
        if (count < 0 || count > Integer.MAX_VALUE - FIRST_DESCRIPTOR) {
            throw new IllegalStateException("LISTEN_FDS must be a count of descriptors, got " + listenFds);
        }
        return (int) count;
    }

    private static long parse(String variable, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(variable + " must be a number, got \"" + value + "\"", e);
        }
    }
}
