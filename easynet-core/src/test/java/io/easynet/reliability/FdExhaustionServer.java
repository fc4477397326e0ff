package io.easynet.reliability;

import com.sun.management.UnixOperatingSystemMXBean;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.server.AcceptFailure;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The child JVM of {@link FdExhaustionTest}, started with a low open-files limit: a JSON-lines echo server with no
 * bound on its connections (so that accepts run out of descriptors), on the junixsocket transport if
 * {@code args[1]} is {@code true}. It answers commands read from standard input with lines on standard output that
 * start with {@link #REPLY}:
 * <ul>
 * <li>{@code ready <open file limit> <default maxConnections>} once serving, unasked;</li>
 * <li>{@code await-failing}: {@code failure <failed accepts> <cause>} once accepts fail, or after 20 s;</li>
 * <li>{@code failure}: {@code failure <failed accepts> <cause>}, or {@code failure none} while accepts work;</li>
 * <li>{@code await-accepting}: {@code failure none} once accepts work again, or the failure after 20 s;</li>
 * <li>{@code clients}: {@code clients <count>} of the clients served now;</li>
 * <li>{@code exit}: stops the server and ends the process.</li>
 * </ul>
 */
final class FdExhaustionServer {

    /** What starts every line of the protocol, so that log lines on the same stream are told apart. */
    static final String REPLY = "fd-server: ";

    private static final Duration AWAIT_LIMIT = Duration.ofSeconds(20);

    private FdExhaustionServer() {
    }

    /** Serves on the socket {@code args[0]}, on junixsocket if {@code args[1]} is {@code true}. */
    public static void main(String[] args) throws Exception {
        var options = ServerOptions.builder().maxConnections(Integer.MAX_VALUE)
                .peerCredentials(Boolean.parseBoolean(args[1])).build();
        try (var server = new AsyncUnixStreamServer<>(Path.of(args[0]), StreamProtocol.of(JsonSerializer.tree()),
                (client, requests) -> client.send(requests.receive()), options)) {
            server.start();
            var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            reply("ready " + os.getMaxFileDescriptorCount() + " " + ServerOptions.DEFAULT_MAX_CONNECTIONS);
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = in.readLine(); command != null && !command.equals("exit"); command = in.readLine()) {
                switch (command) {
                    case "await-failing" -> reply(failure(await(server, Optional::isPresent)));
                    case "await-accepting" -> reply(failure(await(server, Optional::isEmpty)));
                    case "failure" -> reply(failure(server.acceptFailure()));
                    case "clients" -> reply("clients " + server.clients().size());
                    default -> throw new IllegalArgumentException("unknown command: " + command);
                }
            }
        }
    }

    /** The server's accept failure once {@code condition} holds of it, or as it is after {@link #AWAIT_LIMIT}. */
    private static Optional<AcceptFailure> await(AsyncUnixStreamServer<?, ?> server,
            Predicate<Optional<AcceptFailure>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT_LIMIT.toNanos();
        Optional<AcceptFailure> failure = server.acceptFailure();
        while (!condition.test(failure) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            failure = server.acceptFailure();
        }
        return failure;
    }

    private static String failure(Optional<AcceptFailure> failure) {
        return failure.map(f -> "failure " + f.failures() + " " + f.cause()).orElse("failure none");
    }

    private static void reply(String line) {
        System.out.println(REPLY + line);
        System.out.flush();
    }
}
