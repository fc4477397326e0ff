package io.easynet.reliability;

import com.sun.management.UnixOperatingSystemMXBean;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerListener;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVM of {@link IdleConnectionsTest}: a JSON-lines echo server with default options (backlog raised to
 * the number of clients), so that its heap holds nothing but the server and its connections. It answers commands
 * read from standard input with lines on standard output that start with {@link #REPLY}:
 * <ul>
 * <li>{@code ready <max heap> <open file limit>} once serving, unasked;</li>
 * <li>{@code await <n>}: {@code active <count>} once {@code n} clients are being served, or after 20 s;</li>
 * <li>{@code heap}: {@code heap <heap used after GC>};</li>
 * <li>{@code exit}: stops the server and ends the process.</li>
 * </ul>
 */
final class IdleConnectionsServer {

    /** What starts every line of the protocol, so that log lines on the same stream are told apart. */
    static final String REPLY = "idle-server: ";

    private static final Duration AWAIT_LIMIT = Duration.ofSeconds(20);

    private IdleConnectionsServer() {
    }

    /** Serves on the socket {@code args[0]} with a backlog of {@code args[1]}. */
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int backlog = Integer.parseInt(args[1]);
        var active = new ActiveClients();
        var options = ServerOptions.builder().backlog(backlog).build();
        try (var server = new AsyncUnixStreamServer<>(path, StreamProtocol.of(JsonSerializer.tree()),
                (client, requests) -> client.send(requests.receive()), options)) {
            server.addListener(active);
            server.start();
            var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            reply("ready " + Runtime.getRuntime().maxMemory() + " " + os.getMaxFileDescriptorCount());
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = in.readLine(); command != null && !command.equals("exit"); command = in.readLine()) {
                if (command.startsWith("await ")) {
                    reply("active " + active.await(Integer.parseInt(command.substring(6)), AWAIT_LIMIT));
                } else if (command.equals("heap")) {
                    reply("heap " + heapUsedAfterGc());
                } else {
                    throw new IllegalArgumentException("unknown command: " + command);
                }
            }
        }
    }

    private static void reply(String line) {
        System.out.println(REPLY + line);
        System.out.flush();
    }

    /** Heap in use once full collections stop freeing anything (within 64 KiB), so that only live objects count. */
    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (before - used < 64 * 1024) {
                return used;
            }
            before = used;
        }
        return before;
    }

    /** Counts the clients being served, from their connection to their disconnection. */
    private static final class ActiveClients implements ServerListener {

        private final ReentrantLock lock = new ReentrantLock();

        private final Condition changed = lock.newCondition();

        private int count;

        @Override
        public void clientConnected(StreamClient<?> client) {
            add(1);
        }

        @Override
        public void clientDisconnected(StreamClient<?> client, DisconnectReason reason) {
            add(-1);
        }

        private void add(int delta) {
            lock.lock();
            try {
                count += delta;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until {@code target} clients are served or {@code limit} passes; returns the count then. */
        int await(int target, Duration limit) throws InterruptedException {
            long left = limit.toNanos();
            lock.lock();
            try {
                while (count != target && left > 0) {
                    left = changed.awaitNanos(left);
                }
                return count;
            } finally {
                lock.unlock();
            }
        }
    }
}
