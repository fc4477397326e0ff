package io.easynet.server;

import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.lineClient;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Start, serve, graceful and forced stop, and the limits on connections. */
@Timeout(30)
class LifecycleTest {

    @TempDir
    Path dir;

    @Test
    void startReturnsOnceTheServerAcceptsClients() throws Exception {
        try (var server = startLines(dir, echo()); var client = lineClient(server)) {
            assertThat(server.isServing()).isTrue();
            client.send("ping");
            assertThat(client.receive()).isEqualTo("ping");
        }
    }

    @Test
    void aServerStartsOnceOnly() throws Exception {
        var server = startLines(dir, echo());
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was already started");
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be started again");
    }

    @Test
    void acceptThreadIsANonDaemonThreadThatKeepsTheJvmAliveWhileServing() throws Exception {
        var server = startLines(dir, echo());
        Thread accept = acceptThread().orElseThrow();
        assertThat(accept.isDaemon()).isFalse();
        server.close();
        assertThat(accept.isAlive()).isFalse();
        assertThat(acceptThread()).isEmpty();
    }

    @Test
    void serveForeverBlocksUntilTheServerIsStopped() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever();
                outcome.set(new AssertionError("returned normally"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        await().until(server::isServing);
        assertThat(serving.isAlive()).isTrue();
        server.stop(Duration.ofSeconds(5));
        serving.join();
        assertThat(outcome.get()).hasMessage("returned normally");
    }

    @Test
    void interruptingServeForeverStopsTheServer() throws Exception {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), Servers.LINES, echo());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        await().until(server::isServing);
        serving.interrupt();
        serving.join();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(server.isServing()).isFalse();
        assertThat(server.path()).doesNotExist();
    }

    @Test
    void stopIsIdempotentAndAConcurrentCallWaitsForTheFirst() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            inRequest.countDown();
            release.await();
            client.send("done");
        };
        var server = startLines(dir, handler);
        try (var client = lineClient(server)) {
            client.send("work");
            inRequest.await();
            Thread first = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            await().until(() -> !server.isServing());
            Thread second = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            await().until(() -> second.getState() == Thread.State.WAITING);
            release.countDown();
            first.join();
            second.join();
            assertThat(client.receive()).isEqualTo("done");
        }
        server.stop(Duration.ZERO);
    }

    @Test
    void gracefulStopLetsAHandlerBusyWithARequestFinishAndFlushItsResponse() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                String request = requests.receive();
                inRequest.countDown();
                release.await();
                client.send("answer to " + request);
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection " + client.id());
            }
        };
        var server = startLines(dir, handler);
        try (var client = lineClient(server)) {
            client.send("question");
            inRequest.await();
            Thread stopping = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            await().until(() -> !server.path().toFile().exists());
            assertThatThrownBy(() -> lineClient(server)).isInstanceOf(IOException.class)
                    .hasMessageContaining(server.path().toString());
            release.countDown();
            assertThat(client.receive()).isEqualTo("answer to question");
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            stopping.join();
        }
        assertThat(events).containsExactly("onDisconnection client#1");
    }

    @Test
    void idleClientsAreDisconnectedAtStopAndEachGetsOnDisconnection() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                client.send(requests.receive());
            }

            @Override
            public void onDisconnection(StreamClient<String> client) throws IOException {
                events.add(client.id());
                client.send("bye");
            }
        };
        var server = startLines(dir, handler);
        try (var a = lineClient(server); var b = lineClient(server); var c = lineClient(server)) {
            await().until(() -> server.clients().size() == 3);
            server.stop(Duration.ofSeconds(30));
            assertThat(events).containsExactlyInAnyOrder("client#1", "client#2", "client#3");
            for (var client : List.of(a, b, c)) {
                assertThat(client.receive()).isEqualTo("bye");
                assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void handlersStillBusyWhenTheGracePeriodEndsAreInterruptedAndClosed() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    events.add("interrupted");
                    throw e;
                }
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection " + client.id());
            }
        };
        var server = startLines(dir, handler);
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var client = lineClient(server)) {
            client.send("never answered");
            await().until(() -> server.clients().size() == 1);
            server.stop(Duration.ofMillis(200));
            assertThat(events).containsExactly("interrupted", "onDisconnection client#1");
            assertThat(logs.messages(Level.WARN)).containsExactly("Grace period of 200 ms over on " + server.path()
                    + ": closed the connections of [client#1]");
            assertThat(logs.messages(Level.ERROR)).isEmpty();
            assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void stopReturnsEvenWhenAHandlerIgnoresInterruptsAndNamesIt() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        var stubborn = new java.util.concurrent.atomic.AtomicBoolean(true);
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            inRequest.countDown();
            while (stubborn.get()) {
                LockSupport.parkNanos(1_000_000);
            }
        };
        var server = startLines(dir, handler);
        try (var logs = LogCapture.of(AsyncUnixStreamServer.class); var client = lineClient(server)) {
            client.send("spin");
            inRequest.await();
            server.stop(Duration.ofMillis(100));
            assertThat(server.isServing()).isFalse();
            assertThat(logs.messages(Level.WARN)).contains("Handlers of [client#1] on " + server.path()
                    + " ignored the close and interrupt; leaving them behind");
        } finally {
            stubborn.set(false);
        }
    }

    @Test
    void clientsAreServedOnThreadsFromTheConfiguredFactoryNamedAfterTheClient() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory platform = Thread.ofPlatform().daemon().factory();
        var options = ServerOptions.builder().clientThreadFactory(task -> {
            made.incrementAndGet();
            return platform.newThread(task);
        }).build();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            Thread current = Thread.currentThread();
            client.send(current.getName() + " virtual=" + current.isVirtual());
        };
        try (var server = startLines(dir, handler, options); var client = lineClient(server)) {
            client.send("who serves me?");
            assertThat(client.receive()).isEqualTo("easynet-client#1 virtual=false");
            assertThat(made).hasValue(1);
        }
    }

    @Test
    void serversSharingAClientNumberSequenceGiveUniqueIdsAcrossARestartWhileEachNewServerStartsAtOne()
            throws Exception {
        StreamRequestHandler<String, String> whoAmI = (client, requests) -> client.send(requests.receive() + " "
                + client.id());
        Path path = dir.resolve("server.sock");
        var numbers = new AtomicLong();
        for (String expected : List.of("client#1", "client#2")) {
            try (var server = new AsyncUnixStreamServer<>(path, Servers.LINES, whoAmI, ServerOptions.defaults(),
                    numbers::incrementAndGet)) {
                server.start();
                try (var client = lineClient(server)) {
                    client.send("me");
                    assertThat(client.receive()).isEqualTo("me " + expected);
                }
            }
        }
        try (var fresh = startLines(dir, whoAmI); var client = lineClient(fresh)) {
            client.send("me");
            assertThat(client.receive()).isEqualTo("me client#1");
        }
    }

    @Test
    void clientsBeyondMaxConnectionsWaitInTheBacklogUntilAClientLeaves() throws Exception {
        var options = ServerOptions.builder().maxConnections(1).build();
        try (var server = startLines(dir, echo(), options); var served = lineClient(server);
                var waiting = lineClient(server)) {
            served.send("one");
            assertThat(served.receive()).isEqualTo("one");
            waiting.send("two");
            assertThatThrownBy(() -> waiting.receive(Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(server.clients()).hasSize(1);
            served.close();
            assertThat(waiting.receive()).isEqualTo("two");
        }
    }

    @Test
    void socketsGivesOptionsAccessToTheListenerWhileServing() throws Exception {
        var server = startLines(dir, echo());
        var listener = server.sockets().getFirst();
        listener.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        assertThat(listener.getOption(StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(65536);
        server.close();
        assertThat(server.sockets()).isEmpty();
    }

    @Test
    void aHandlerMayStopItsOwnServer() throws Exception {
        AtomicReference<AsyncUnixStreamServer<String, String>> self = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            if (requests.receive().equals("shutdown")) {
                client.send("shutting down");
                self.get().stop(Duration.ofSeconds(5));
            }
        };
        var server = startLines(dir, handler);
        self.set(server);
        try (var client = lineClient(server)) {
            client.send("shutdown");
            assertThat(client.receive()).isEqualTo("shutting down");
            await().until(() -> !server.isServing() && !server.path().toFile().exists());
        }
    }

    private static Optional<Thread> acceptThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("easynet-accept-server.sock")).findFirst();
    }

    @Test
    void handlerThatStopsItsServerWhileAStopIsUnderWayIsNotHeldUp() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<AsyncUnixStreamServer<String, String>> self = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            inRequest.countDown();
            release.await();
            self.get().stop(Duration.ofMinutes(1));
            client.send("stopped from the handler");
        };
        var server = startLines(dir, handler);
        self.set(server);
        try (var client = lineClient(server)) {
            client.send("work");
            inRequest.await();
            Thread stopping = Thread.ofPlatform().start(() -> server.stop(Duration.ofMinutes(1)));
            await().until(() -> !server.isServing());
            release.countDown();
            assertThat(client.receive()).isEqualTo("stopped from the handler");
            stopping.join();
        }
    }

    @Test
    void handlerThatStopsItsOwnServerGetsItsOnDisconnectionBeforeTheResourcesClose() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<AsyncUnixStreamServer<String, String>> self = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = new StreamRequestHandler<>() {
            @Override
            public void serviceInit(ServiceContext<String, String> context) {
                context.register(() -> events.add("resource closed"));
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                requests.receive();
                self.get().stop(Duration.ofSeconds(10));
                events.add("stop returned in the handler");
            }

            @Override
            public void onDisconnection(StreamClient<String> client) {
                events.add("onDisconnection");
            }
        };
        var server = startLines(dir, handler);
        self.set(server);
        try (var client = lineClient(server)) {
            client.send("shutdown");
            server.serveForever();
        }
        assertThat(events).containsExactly("stop returned in the handler", "onDisconnection", "resource closed");
    }

    @Test
    void gracefulStopAnswersTheRequestInProgressAndReadsNoFurtherRequests() throws Exception {
        CountDownLatch inRequest = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            handled.add(request);
            inRequest.countDown();
            release.await();
            client.send("answer " + request);
        };
        var server = startLines(dir, handler);
        try (var client = lineClient(server)) {
            client.send("1");
            inRequest.await();
            client.send("2");
            Thread stopping = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            await().until(() -> !server.isServing());
            release.countDown();
            stopping.join();
            assertThat(client.receive()).isEqualTo("answer 1");
            assertThatThrownBy(client::receive).isInstanceOf(IOException.class);
        }
        assertThat(handled).containsExactly("1");
    }
}
