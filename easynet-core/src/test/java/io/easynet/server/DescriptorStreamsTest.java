package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.Received;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFPipe;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The streams a handler takes from received descriptors wait for their peer without holding a carrier thread:
 * more clients than the JVM has carriers can each keep a handler waiting on a pipe, FIFO, socket or eventfd they
 * hold open, and every other server of the JVM still answers.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DescriptorStreamsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One more waiting handler than the virtual-thread scheduler has carriers. */
    private static final int CLIENTS = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors()) + 1;

    private static final ServerOptions DESCRIPTORS = ServerOptions.builder()
            .ancillaryBufferSize(Ancillary.bufferSizeFor(1)).build();

    @TempDir
    Path dir;

    /** What a client passes, and holds the other end of until the test lets it go. */
    enum Kind {
        PIPE, FIFO, SOCKET, REGULAR_FILE
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void handlersWaitingToReadADescriptorItsSenderHoldsOpenLeaveEveryOtherServerAnswering(Kind kind)
            throws Exception {
        AtomicInteger reading = new AtomicInteger();
        StreamRequestHandler<String, String> reader = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileDescriptors descriptors = request.descriptors();
                    InputStream in = descriptors.takeInputStream(0)) {
                reading.incrementAndGet();
                client.send(request.packet() + " read " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        };
        List<Held> held = new ArrayList<>();
        List<UnixStreamClient<String, String>> clients = new ArrayList<>();
        try (var readers = start("readers.sock", reader, DESCRIPTORS);
                var echoes = start("echo.sock", echo(), ServerOptions.defaults())) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Held descriptor = Held.open(kind, dir.resolve("held-" + i), "bytes of client " + i);
                    held.add(descriptor);
                    clients.add(connect(readers));
                    clients.get(i).sendWithAncillary("client " + i, Ancillary.rights(descriptor.passed()));
                }
                await().atMost(TIMEOUT).until(() -> reading.get() == CLIENTS);

                try (var other = UnixStreamClient.connect(echoes.path(), LINES)) {
                    other.send("still answered");
                    assertThat(other.receive(TIMEOUT)).isEqualTo("still answered");
                }
                for (Held descriptor : held) {
                    descriptor.finishWriting();
                }
                for (int i = 0; i < CLIENTS; i++) {
                    assertThat(clients.get(i).receive(TIMEOUT)).isEqualTo("client " + i + " read bytes of client " + i);
                }
            } finally {
                closeAll(held);
                closeAll(clients);
            }
        }
    }

    /** A python3 process holds eventfds; each handler reads the 8-byte counter, which waits until it is written. */
    private static final String EVENTFD_CLIENT = """
            import os, socket, sys
            held = []
            for i in range(int(sys.argv[2])):
                counter = os.eventfd(0)
                s = socket.socket(socket.AF_UNIX)
                s.connect(sys.argv[1])
                socket.send_fds(s, [b"client %d\\n" % i], [counter])
                held.append((s, counter))
            print("sent", flush=True)
            sys.stdin.readline()
            for i, (s, counter) in enumerate(held):
                os.eventfd_write(counter, 40 + i)
            for s, counter in held:
                print(s.makefile().readline().strip(), flush=True)
            """;

    @Test
    void handlersWaitingToReadAnEventfdAPythonProcessHoldsLeaveEveryOtherServerAnswering() throws Exception {
        assumeThat(new ProcessBuilder("python3", "-c", "import os; os.eventfd").start().waitFor())
                .as("python3 with os.eventfd (3.10 and later)").isZero();
        AtomicInteger reading = new AtomicInteger();
        StreamRequestHandler<String, String> reader = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileDescriptors descriptors = request.descriptors();
                    InputStream in = descriptors.takeInputStream(0)) {
                reading.incrementAndGet();
                long counter = ByteBuffer.wrap(in.readNBytes(8)).order(ByteOrder.nativeOrder()).getLong();
                client.send(request.packet() + " read " + counter);
            }
        };
        try (var readers = start("readers.sock", reader, DESCRIPTORS);
                var echoes = start("echo.sock", echo(), ServerOptions.defaults())) {
            Process python = new ProcessBuilder("python3", "-c", EVENTFD_CLIENT, readers.path().toString(),
                    String.valueOf(CLIENTS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var lines = python.inputReader(StandardCharsets.UTF_8); var toPython = python.outputWriter()) {
                assertThat(lines.readLine()).isEqualTo("sent");
                await().atMost(TIMEOUT).until(() -> reading.get() == CLIENTS);

                try (var other = UnixStreamClient.connect(echoes.path(), LINES)) {
                    other.send("still answered");
                    assertThat(other.receive(TIMEOUT)).isEqualTo("still answered");
                }
                toPython.write("write\n");
                toPython.flush();
                for (int i = 0; i < CLIENTS; i++) {
                    assertThat(lines.readLine()).isEqualTo("client " + i + " read " + (40 + i));
                }
                assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                python.destroyForcibly();
            }
        }
    }

    /**
     * A python3 process passes each kind of descriptor that waits for a peer, has the server read or write it
     * through the streams, then asks whether its own copy is still blocking: a flag set on the open file that both
     * processes share would make its own reads and writes fail with {@code BlockingIOError}.
     */
    private static final String SENDER_COPY_CLIENT = """
            import os, socket, sys
            def ask(op, fd):
                s = socket.socket(socket.AF_UNIX)
                s.connect(sys.argv[1])
                socket.send_fds(s, [op.encode() + b"\\n"], [fd])
                return s
            def answer(s):
                with s, s.makefile() as lines:
                    return lines.readline().strip()
            def report(kind, reply, fd):
                print(f"{kind}: {reply}, still blocking: {os.get_blocking(fd)}", flush=True)
            r, w = os.pipe()
            s = ask("read", r); os.write(w, b"pipe\\n"); report("pipe read end", answer(s), r)
            r, w = os.pipe()
            s = ask("write", w); reply = answer(s); report("pipe write end", f"{reply} {os.read(r, 64)}", w)
            os.mkfifo(sys.argv[2])
            reader = os.open(sys.argv[2], os.O_RDONLY | os.O_NONBLOCK)
            writer = os.open(sys.argv[2], os.O_WRONLY)
            os.set_blocking(reader, True)
            s = ask("read", reader); os.write(writer, b"fifo\\n"); report("fifo read end", answer(s), reader)
            s = ask("write", writer); reply = answer(s)
            report("fifo write end", f"{reply} {os.read(reader, 64)}", writer)
            mine, theirs = socket.socketpair()
            s = ask("read", theirs.fileno()); mine.sendall(b"socket\\n")
            report("socket read", answer(s), theirs.fileno())
            s = ask("write", theirs.fileno()); reply = answer(s)
            report("socket write", f"{reply} {mine.recv(64)}", theirs.fileno())
            master, terminal = os.openpty()
            s = ask("read", terminal); os.write(master, b"tty\\n"); report("terminal", answer(s), terminal)
            counter = os.eventfd(0)
            s = ask("read", counter); os.eventfd_write(counter, 7); report("eventfd", answer(s), counter)
            """;

    @Test
    void theSenderOfADescriptorKeepsItsOwnCopyBlockingWhileTheServerReadsAndWritesIt() throws Exception {
        assumeThat(new ProcessBuilder("python3", "-c", "import os; os.eventfd").start().waitFor())
                .as("python3 with os.eventfd (3.10 and later)").isZero();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileDescriptors descriptors = request.descriptors()) {
                if (request.packet().equals("write")) {
                    try (OutputStream out = descriptors.takeOutputStream(0)) {
                        out.write("server bytes".getBytes(StandardCharsets.UTF_8));
                    }
                    client.send("wrote");
                } else {
                    try (InputStream in = descriptors.takeInputStream(0)) {
                        client.send("read " + in.read(new byte[64]));
                    }
                }
            }
        };
        try (var server = start("server.sock", handler, DESCRIPTORS)) {
            Process python = new ProcessBuilder("python3", "-c", SENDER_COPY_CLIENT, server.path().toString(),
                    dir.resolve("fifo").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var lines = python.inputReader(StandardCharsets.UTF_8)) {
                assertThat(lines.lines().toList()).containsExactly(
                        "pipe read end: read 5, still blocking: True",
                        "pipe write end: wrote b'server bytes', still blocking: True",
                        "fifo read end: read 5, still blocking: True",
                        "fifo write end: wrote b'server bytes', still blocking: True",
                        "socket read: read 7, still blocking: True",
                        "socket write: wrote b'server bytes', still blocking: True",
                        "terminal: read 4, still blocking: True",
                        "eventfd: read 8, still blocking: True");
                assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(python.exitValue()).isZero();
            } finally {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void handlersWaitingToWriteAPipeItsSenderDoesNotReadLeaveEveryOtherServerAnswering() throws Exception {
        int size = 1024 * 1024;
        AtomicInteger writing = new AtomicInteger();
        StreamRequestHandler<String, String> writer = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileDescriptors descriptors = request.descriptors();
                    OutputStream out = descriptors.takeOutputStream(0)) {
                writing.incrementAndGet();
                out.write(new byte[size]);
            }
            client.send(request.packet() + " wrote " + size);
        };
        List<AFPipe> pipes = new ArrayList<>();
        List<UnixStreamClient<String, String>> clients = new ArrayList<>();
        try (var writers = start("writers.sock", writer, DESCRIPTORS);
                var echoes = start("echo.sock", echo(), ServerOptions.defaults())) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    pipes.add(AFPipe.open());
                    clients.add(connect(writers));
                    clients.get(i).sendWithAncillary("client " + i,
                            Ancillary.rights(pipes.get(i).sink().getFileDescriptor()));
                }
                await().atMost(TIMEOUT).until(() -> writing.get() == CLIENTS);

                try (var other = UnixStreamClient.connect(echoes.path(), LINES)) {
                    other.send("still answered");
                    assertThat(other.receive(TIMEOUT)).isEqualTo("still answered");
                }
                for (int i = 0; i < CLIENTS; i++) {
                    pipes.get(i).sink().close();
                    assertThat(drain(pipes.get(i).source())).isEqualTo(size);
                    assertThat(clients.get(i).receive(TIMEOUT)).isEqualTo("client " + i + " wrote " + size);
                }
            } finally {
                closeAll(pipes);
                closeAll(clients);
            }
        }
    }

    @Test
    void aServerStoppingPastItsGracePeriodEndsTheHandlersWaitingOnPipesTheirSendersHoldOpen() throws Exception {
        List<Exception> outcomes = new CopyOnWriteArrayList<>();
        AtomicInteger reading = new AtomicInteger();
        StreamRequestHandler<String, String> reader = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            try (FileDescriptors descriptors = request.descriptors();
                    InputStream in = descriptors.takeInputStream(0)) {
                reading.incrementAndGet();
                in.read();
            } catch (IOException e) {
                outcomes.add(e);
                throw e;
            }
        };
        var options = DESCRIPTORS.toBuilder().shutdownGracePeriod(Duration.ofMillis(200)).build();
        List<AFPipe> pipes = new ArrayList<>();
        List<UnixStreamClient<String, String>> clients = new ArrayList<>();
        try (LogCapture logs = LogCapture.of(AsyncUnixStreamServer.class)) {
            var readers = start("readers.sock", reader, options);
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    pipes.add(AFPipe.open());
                    clients.add(connect(readers));
                    clients.get(i).sendWithAncillary("client " + i,
                            Ancillary.rights(pipes.get(i).source().getFileDescriptor()));
                }
                await().atMost(TIMEOUT).until(() -> reading.get() == CLIENTS);

                readers.close();

                assertThat(outcomes).hasSize(CLIENTS).allSatisfy(outcome -> assertThat(outcome)
                        .isInstanceOf(InterruptedIOException.class)
                        .hasMessageStartingWith("interrupted while waiting for descriptor "));
                assertThat(logs.messages(Level.WARN)).noneMatch(warning -> warning
                        .contains("ignored the close and interrupt"));
            } finally {
                readers.close();
                closeAll(pipes);
                closeAll(clients);
            }
        }
    }

    private AsyncUnixStreamServer<String, String> start(String name, StreamRequestHandler<String, String> handler,
            ServerOptions options) throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve(name), LINES, handler, options);
        server.start();
        return server;
    }

    private static UnixStreamClient<String, String> connect(AsyncUnixStreamServer<?, ?> server) throws IOException {
        return UnixStreamClient.connect(server.path(), LINES,
                ClientOptions.defaults().withAncillaryBufferSize(Ancillary.bufferSizeFor(1)));
    }

    /** Reads a pipe to its end; its write end, the server's copy included, must be closed. */
    private static long drain(AFPipe.SourceChannel source) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        for (int read; (read = source.read(buffer.clear())) >= 0;) {
            total += read;
        }
        return total;
    }

    private static void closeAll(List<? extends Closeable> closeables) throws IOException {
        for (Closeable closeable : closeables) {
            closeable.close();
        }
    }

    /**
     * A descriptor a client passes while it holds the other end: the server's reads wait until {@link #finish}
     * writes the content and closes that end (a regular file has its content from the start).
     */
    /**
     * A descriptor a test client passes while it holds the other end: {@code finish} writes the content and closes
     * that end, {@code close} closes both.
     */
    private record Held(FileDescriptor passed, IoAction finish, Closeable ends) implements Closeable {

        @FunctionalInterface
        interface IoAction {
            void run() throws IOException;
        }

        void finishWriting() throws IOException {
            finish.run();
        }

        @Override
        public void close() throws IOException {
            ends.close();
        }

        static Held open(Kind kind, Path path, String content) throws Exception {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return switch (kind) {
                case PIPE -> {
                    AFPipe pipe = AFPipe.open();
                    yield new Held(pipe.source().getFileDescriptor(), () -> {
                        pipe.sink().write(ByteBuffer.wrap(bytes));
                        pipe.sink().close();
                    }, pipe);
                }
                case FIFO -> {
                    assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
                    // Opening a FIFO waits for its other end: the reader opens on another thread.
                    var opening = CompletableFuture.supplyAsync(() -> {
                        try {
                            return new FileInputStream(path.toFile());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    FileOutputStream writer = new FileOutputStream(path.toFile());
                    FileInputStream reader = opening.get();
                    yield new Held(reader.getFD(), () -> {
                        writer.write(bytes);
                        writer.close();
                    }, () -> {
                        try (reader; writer) {
                            // both ends closed
                        }
                    });
                }
                case SOCKET -> {
                    AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
                    yield new Held(pair.getSocket1().getFileDescriptor(), () -> {
                        pair.getSocket2().write(ByteBuffer.wrap(bytes));
                        pair.getSocket2().close();
                    }, () -> {
                        try (var one = pair.getSocket1(); var two = pair.getSocket2()) {
                            // both ends closed
                        }
                    });
                }
                case REGULAR_FILE -> {
                    FileInputStream file = new FileInputStream(Files.write(path, bytes).toFile());
                    // its content is there from the start
                    yield new Held(file.getFD(), () -> { }, file);
                }
            };
        }
    }
}
