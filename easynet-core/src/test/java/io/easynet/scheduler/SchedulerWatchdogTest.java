package io.easynet.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.micrometer.SchedulerWatchdogMetrics;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.LogCapture;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFPipe;

/**
 * The watchdog notices handlers that hold every carrier thread with their own blocking code, names them with their
 * stacks, counts the stall and reports it until the carriers are free again.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerWatchdogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final int CARRIERS = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors());

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    /** Short enough for a test, long enough that a loaded machine does not stall the scheduler that long. */
    private static final SchedulerWatchdogOptions QUICK = new SchedulerWatchdogOptions(Duration.ofSeconds(2),
            Duration.ofMillis(200));

    @TempDir
    Path dir;

    @Test
    void handlersBlockingEveryCarrierInAPlainFileInputStreamAreNamedCountedAndReportedUntilTheyLetGo()
            throws Exception {
        // The unsafe way: a FileInputStream made from the bare descriptor blocks in read(2), holding its carrier.
        AtomicInteger pinning = new AtomicInteger();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileInputStream in = new FileInputStream(request.descriptors().take(0))) {
                pinning.incrementAndGet();
                client.send(request.packet() + " read " + (char) in.read());
            }
        };
        var options = ServerOptions.builder().ancillaryBufferSize(Ancillary.bufferSizeFor(1)).build();
        var registry = new SimpleMeterRegistry();
        List<AFPipe> pipes = new ArrayList<>();
        List<UnixStreamClient<String, String>> clients = new ArrayList<>();
        try (LogCapture logs = LogCapture.of(SchedulerWatchdog.class);
                var server = new AsyncUnixStreamServer<>(dir.resolve("pinning.sock"), LINES, handler, options)) {
            server.start();
            SchedulerWatchdog watchdog = null;
            try {
                for (int i = 0; i < CARRIERS; i++) {
                    pipes.add(AFPipe.open());
                    clients.add(UnixStreamClient.connect(server.path(), LINES,
                            ClientOptions.defaults().withAncillaryBufferSize(Ancillary.bufferSizeFor(1))));
                    clients.get(i).sendWithAncillary("client " + i,
                            Ancillary.rights(pipes.get(i).source().getFileDescriptor()));
                }
                await().atMost(TIMEOUT).until(() -> pinning.get() == CARRIERS);
                // Started once the carriers are held, so that no earlier moment of a loaded machine counts.
                watchdog = SchedulerWatchdog.acquire(QUICK);
                new SchedulerWatchdogMetrics(watchdog).bindTo(registry);

                await().atMost(TIMEOUT).until(watchdog::isStalled);
                List<String> pinners = IntStream.rangeClosed(1, CARRIERS).mapToObj(i -> "easynet-client#" + i)
                        .toList();
                SchedulerStall stall = watchdog.stall().orElseThrow();
                assertThat(stall.holders()).extracting(CarrierHolder::thread)
                        .containsExactlyInAnyOrderElementsOf(pinners);
                assertThat(stall.holders()).allSatisfy(holder -> {
                    assertThat(holder.carrier()).startsWith("ForkJoinPool-");
                    assertThat(holder.stack().getFirst())
                            .isEqualTo("java.base/java.io.FileInputStream.read0(Native Method)");
                });
                assertThat(watchdog.stallCount()).isEqualTo(1);
                assertThat(registry.get("easynet.unix.scheduler.stalls").functionCounter().count()).isEqualTo(1);
                assertThat(registry.get("easynet.unix.scheduler.stalled").gauge().value()).isPositive();
                assertThat(logs.messages(Level.WARN)).singleElement().satisfies(warning -> {
                    assertThat(warning).startsWith("Virtual threads could not be scheduled for ")
                            .contains(" ms (threshold 2000 ms): code holds the carrier threads. Virtual threads on "
                                    + "carriers:\n");
                    pinners.forEach(name -> assertThat(warning).contains("\n\"" + name + "\" #"));
                    assertThat(warning).contains("\n\tat java.base/java.io.FileInputStream.read0(Native Method)\n");
                });

                for (int i = 0; i < CARRIERS; i++) {
                    pipes.get(i).sink().write(ByteBuffer.wrap(new byte[] {'x'}));
                }
                SchedulerWatchdog released = watchdog;
                await().atMost(TIMEOUT).until(() -> !released.isStalled());
                for (int i = 0; i < CARRIERS; i++) {
                    assertThat(clients.get(i).receive(TIMEOUT)).isEqualTo("client " + i + " read x");
                }
                assertThat(registry.get("easynet.unix.scheduler.stalled").gauge().value()).isZero();
                assertThat(registry.get("easynet.unix.scheduler.stalls").functionCounter().count()).isEqualTo(1);
                assertThat(logs.messages(Level.WARN)).hasSize(1);
                assertThat(logs.messages(Level.INFO)).singleElement().asString()
                        .startsWith("Virtual threads are scheduled again: a heartbeat waited ");
            } finally {
                if (watchdog != null) {
                    watchdog.close();
                }
                for (AFPipe pipe : pipes) {
                    pipe.close();
                }
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void watchdogsAskedForTheSameOptionsShareOneThreadThatStopsWithItsLastUser() {
        var options = new SchedulerWatchdogOptions(Duration.ofSeconds(7), Duration.ofMillis(700));
        long before = watchdogThreads();
        try (var first = SchedulerWatchdog.acquire(options)) {
            try (var second = SchedulerWatchdog.acquire(options)) {
                assertThat(watchdogThreads()).isEqualTo(before + 1);
                assertThat(second.options()).isSameAs(first.options());
            }
            assertThat(watchdogThreads()).isEqualTo(before + 1);
        }
        assertThat(watchdogThreads()).isEqualTo(before);
    }

    @Test
    void optionsThatAreNotPositiveAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new SchedulerWatchdogOptions(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold must be positive, was PT0S");
        assertThatThrownBy(() -> SchedulerWatchdogOptions.defaults().withCheckPeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkPeriod must be positive, was PT-1S");
    }

    private static long watchdogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("easynet-scheduler-watchdog")).count();
    }
}
