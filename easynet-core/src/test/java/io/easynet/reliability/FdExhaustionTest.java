package io.easynet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server in a child JVM whose open-files limit is 256 ({@code ulimit -n}) and whose {@code maxConnections} is
 * unbounded, flooded with more connections than it has descriptors: its accepts fail with "Too many open files".
 * Meanwhile the failure is reported for health checks, the log gets one line per 10 s with the count of those
 * suppressed (never a stack trace), and the clients already connected are served; once they leave, accepts
 * succeed again, the failure clears and a new client is served. The same process shows the default
 * {@code maxConnections} derived from its limit. Prints the descriptors at the limit and the time to recover.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FdExhaustionTest {

    private static final int OPEN_FILES_LIMIT = 256;

    /** More connections than the child has descriptors. */
    private static final int CLIENTS = 400;

    private static final Pattern ACCEPT_FAILED = Pattern.compile(
            "ERROR .* - Accepting a client on \\S+ failed \\((.*Too many open files.*)\\); retrying every 100 ms, "
                    + "new clients wait in the backlog meanwhile"
                    + "( \\((\\d+) similar messages suppressed in the last (\\d+) s\\))?");

    @TempDir
    Path dir;

    private final List<SocketChannel> channels = new ArrayList<>(CLIENTS);

    private CommandedServer child;

    @AfterEach
    void closeEverything() throws IOException {
        for (SocketChannel channel : channels) {
            channel.close();
        }
        if (child != null) {
            child.close();
        }
    }

    @ParameterizedTest(name = "junixsocket transport: {0}")
    @ValueSource(booleans = {false, true})
    void acceptsOutOfDescriptorsAreReportedLoggedOncePerWindowAndRecoverWhenClientsLeave(boolean junixsocket)
            throws Exception {
        Path path = dir.resolve("fd.sock");
        // ulimit sets the hard limit too, so the JVM cannot raise it back at start
        child = CommandedServer.start("ulimit -n " + OPEN_FILES_LIMIT, List.of("-Xmx128m"), FdExhaustionServer.class,
                FdExhaustionServer.REPLY, path.toString(), Boolean.toString(junixsocket));
        String[] ready = child.reply("ready").split(" ");
        assertThat(Long.parseLong(ready[1])).as("the child's open-files limit").isEqualTo(OPEN_FILES_LIMIT);
        assertThat(Integer.parseInt(ready[2])).as("the default maxConnections derived from it: half of it is kept "
                + "for the rest of the process").isEqualTo(OPEN_FILES_LIMIT / 2);
        assertThat(child.command("failure", "failure")).isEqualTo("failure none");

        var address = UnixDomainSocketAddress.of(path);
        warmUp(address);
        for (int i = 0; i < CLIENTS; i++) {
            channels.add(SocketChannel.open(address));
        }
        String failing = child.command("await-failing", "failure");
        assertThat(failing).as("the accept failure the server reports for health").matches(
                "failure \\d+ .*Too many open files.*");
        int served = Integer.parseInt(child.command("clients", "clients").split(" ")[1]);
        assertThat(served).as("clients served with the descriptors there are").isBetween(1, CLIENTS - 1);
        assertThat(echo(channels.getFirst(), "{\"first\":true}")).as("a client connected before still answers")
                .isEqualTo("{\"first\":true}");

        // the window rolls over: the next line says how many were suppressed
        await().atMost(Duration.ofSeconds(40)).until(() -> child.output().stream()
                .anyMatch(line -> line.contains("similar messages suppressed")));
        List<String> logged = child.output().stream().filter(line -> ACCEPT_FAILED.matcher(line).find()).toList();
        long failures = Long.parseLong(child.command("failure", "failure").split(" ")[1]);
        assertThat(logged).as("one line per 10 s, not one per failed accept").hasSizeBetween(2, 4);
        Matcher second = ACCEPT_FAILED.matcher(logged.get(1));
        assertThat(second.find()).isTrue();
        long suppressed = Long.parseLong(second.group(3));
        assertThat(suppressed).as("failed accepts suppressed between the first two lines").isPositive()
                .isLessThan(failures);
        assertThat(child.output()).as("no stack trace is printed").noneMatch(line -> line.startsWith("\tat "));

        long closing = System.nanoTime();
        for (SocketChannel channel : channels) {
            channel.close();
        }
        channels.clear();
        assertThat(child.command("await-accepting", "failure")).isEqualTo("failure none");
        double recoverySeconds = (System.nanoTime() - closing) / 1e9;
        try (SocketChannel fresh = SocketChannel.open(address)) {
            assertThat(echo(fresh, "{\"after\":true}")).as("a new client is served").isEqualTo("{\"after\":true}");
        }
        assertThat(child.exit()).as("child exited").isTrue();

        System.out.printf("descriptor exhaustion (%s): limit %d, %d clients served at the limit, %d failed accepts "
                + "logged in %d lines (%d suppressed between the first two), accepting again %.2f s after the "
                + "clients left%n", junixsocket ? "junixsocket" : "JDK", OPEN_FILES_LIMIT, served, failures,
                logged.size(), suppressed, recoverySeconds);
    }

    /**
     * Serves one client from connection to disconnection first: the child loads its classes from the class path's
     * directories, one descriptor per class file, which it cannot do once out of descriptors (a packaged application
     * has its jar open already).
     */
    private void warmUp(UnixDomainSocketAddress address) throws Exception {
        try (SocketChannel warmUp = SocketChannel.open(address)) {
            assertThat(echo(warmUp, "{\"warm-up\":true}")).isEqualTo("{\"warm-up\":true}");
        }
        await().until(() -> child.command("clients", "clients").equals("clients 0"));
    }

    /** Sends one line and reads the answer line. */
    private static String echo(SocketChannel channel, String line) throws IOException {
        ByteBuffer request = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (request.hasRemaining()) {
            channel.write(request);
        }
        ByteBuffer response = ByteBuffer.allocate(256);
        while (response.position() == 0 || response.get(response.position() - 1) != '\n') {
            if (channel.read(response) < 0 || !response.hasRemaining()) {
                break;
            }
        }
        return new String(response.array(), 0, response.position(), StandardCharsets.UTF_8).strip();
    }
}
