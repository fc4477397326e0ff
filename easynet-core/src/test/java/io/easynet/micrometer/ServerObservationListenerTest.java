package io.easynet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.LogCapture;
import io.easynet.server.StreamRequestHandler;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connections and requests as observations after real traffic: their lifecycles, scopes, parents and key values. */
@Timeout(20)
class ServerObservationListenerTest {

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    @TempDir
    Path dir;

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final Recorder recorder = new Recorder();

    private LogCapture serverLogs;

    @BeforeEach
    void recordObservations() {
        registry.observationConfig().observationHandler(recorder);
        serverLogs = LogCapture.of("io.easynet.server");
    }

    @AfterEach
    void noListenerFailed() {
        serverLogs.close();
        // a listener that throws (as the registry's validator does on a misuse) is logged at WARN and skipped
        assertThat(serverLogs.messages(Level.WARN)).isEmpty();
    }

    @Test
    void requestsAreRootObservationsInScopeOnTheClientsThreadAndAFailureIsTheErrorOfTheRequestAndTheConnection()
            throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            String request = requests.receive();
            if (request.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            client.send(describe(registry.getCurrentObservation()));
        };
        try (var server = start(handler, new ServerObservationListener(registry, "echo"));
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("which");
            // the connection is not in scope during the session, so it is no request's parent
            assertThat(client.receive()).isEqualTo("easynet.unix.request in none");
            client.send("boom");
            await().until(() -> recorder.events.contains("stop easynet.unix.connection"));
        }
        assertThat(recorder.events).containsExactly("start easynet.unix.connection",
                "start easynet.unix.request", "scope easynet.unix.request", "unscope easynet.unix.request",
                "stop easynet.unix.request", "start easynet.unix.request", "scope easynet.unix.request",
                "error easynet.unix.request boom", "error easynet.unix.connection boom",
                "unscope easynet.unix.request", "stop easynet.unix.request", "stop easynet.unix.connection");
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("easynet.unix.request", 2)
                .forAllObservationsWithNameEqualTo("easynet.unix.request", request -> request
                        .hasContextualNameEqualTo("request echo").hasLowCardinalityKeyValue("server", "echo")
                        .hasHighCardinalityKeyValue("client.id", "client#1"))
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                        .filteredOn(UnixRequestContext.class::isInstance)
                        .extracting(request -> request.getParentObservation()).containsExactly(null, null))
                .hasObservationWithNameEqualTo("easynet.unix.connection").that().hasBeenStarted().hasBeenStopped()
                .hasContextualNameEqualTo("connection echo").hasLowCardinalityKeyValue("server", "echo")
                .hasLowCardinalityKeyValue("reason", "error").hasHighCardinalityKeyValue("client.id", "client#1")
                .doesNotHaveParentObservation().assertThatError().hasMessage("boom");
    }

    @Test
    void requestsReceivedOffTheClientsThreadAreObservedWithoutScopes() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            var receive = new FutureTask<>(requests::receive);
            Thread.ofVirtual().start(receive);
            try {
                client.send(receive.get());
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        };
        try (var server = start(handler, new ServerObservationListener(registry, "echo"));
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("ping");
            assertThat(client.receive()).isEqualTo("ping");
            client.close();
            await().until(() -> recorder.events.contains("stop easynet.unix.connection"));
        }
        assertThat(recorder.events).containsExactly("start easynet.unix.connection", "start easynet.unix.request",
                "stop easynet.unix.request", "stop easynet.unix.connection");
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("easynet.unix.connection")
                .that().hasLowCardinalityKeyValue("reason", "normal").doesNotHaveError();
    }

    @Test
    void scopeOfARequestEndedOnAnotherThreadIsClosedOnTheClientsThreadBeforeTheNextRequestThere() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            if (requests.receive().equals("one")) {
                // ends "one" (received here, in scope) on another thread, which receives "two"
                var receive = new FutureTask<>(requests::receive);
                Thread.ofVirtual().start(receive);
                client.send("got " + receive.get());
            } else {
                client.send(describe(registry.getCurrentObservation()));
            }
        };
        try (var server = start(handler, new ServerObservationListener(registry, "echo"));
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("one");
            client.send("two");
            assertThat(client.receive()).isEqualTo("got two");
            client.send("three");
            // not a child of "one", whose scope was left open on this thread
            assertThat(client.receive()).isEqualTo("easynet.unix.request in none");
            client.close();
            await().until(() -> recorder.events.contains("stop easynet.unix.connection"));
        }
        assertThat(recorder.events).containsExactly("start easynet.unix.connection",
                "start easynet.unix.request", "scope easynet.unix.request", "stop easynet.unix.request",
                "start easynet.unix.request", "stop easynet.unix.request", "unscope easynet.unix.request",
                "start easynet.unix.request", "scope easynet.unix.request", "unscope easynet.unix.request",
                "stop easynet.unix.request", "stop easynet.unix.connection");
    }

    @Test
    void requestsAreObservedWhenAPredicateTurnsTheConnectionObservationOff() throws Exception {
        registry.observationConfig().observationPredicate((name, context) -> !name.equals("easynet.unix.connection"));
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            client.send(describe(registry.getCurrentObservation()));
        };
        try (var server = start(handler, new ServerObservationListener(registry, "echo"));
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("which");
            assertThat(client.receive()).isEqualTo("easynet.unix.request in none");
            client.send("again");
            assertThat(client.receive()).isEqualTo("easynet.unix.request in none");
            client.close();
            await().until(() -> recorder.events.size() == 8);
        }
        assertThat(recorder.events).containsExactly("start easynet.unix.request", "scope easynet.unix.request",
                "unscope easynet.unix.request", "stop easynet.unix.request", "start easynet.unix.request",
                "scope easynet.unix.request", "unscope easynet.unix.request", "stop easynet.unix.request");
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("easynet.unix.connection", 0)
                .hasNumberOfObservationsWithNameEqualTo("easynet.unix.request", 2);
    }

    @Test
    void customConventionsNameTheObservationsAndGiveTheirKeyValues() throws Exception {
        var connections = new DefaultUnixConnectionObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(UnixConnectionContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "payments");
            }
        };
        UnixRequestObservationConvention requests = new UnixRequestObservationConvention() {
            @Override
            public String getName() {
                return "payments.request";
            }
        };
        try (var server = start((client, stream) -> client.send(stream.receive()),
                new ServerObservationListener(registry, "echo", connections, requests));
                var client = UnixStreamClient.connect(server.path(), LINES)) {
            client.send("ping");
            assertThat(client.receive()).isEqualTo("ping");
            client.close();
            await().until(() -> recorder.events.contains("stop easynet.unix.connection"));
        }
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("easynet.unix.connection")
                .that().hasLowCardinalityKeyValue("server", "echo").hasLowCardinalityKeyValue("team", "payments")
                .backToTestObservationRegistry().hasObservationWithNameEqualTo("payments.request").that()
                .hasNoKeyValues();
    }

    private AsyncUnixStreamServer<String, String> start(StreamRequestHandler<String, String> handler,
            ServerObservationListener listener) throws IOException {
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler);
        server.addListener(listener);
        server.start();
        return server;
    }

    private static String describe(@Nullable ObservationView observation) {
        if (observation == null) {
            return "none";
        }
        Observation.ContextView context = observation.getContextView();
        ObservationView parent = context.getParentObservation();
        return context.getName() + " in " + (parent == null ? "none" : parent.getContextView().getName());
    }

    /** Records what happens to observations, in order, with the error's message. */
    private static final class Recorder implements ObservationHandler<Observation.Context> {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            events.add("start " + context.getName());
        }

        @Override
        public void onError(Observation.Context context) {
            Throwable error = context.getError();
            events.add("error " + context.getName() + " " + (error == null ? "none" : error.getMessage()));
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            events.add("scope " + context.getName());
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            events.add("unscope " + context.getName());
        }

        @Override
        public void onStop(Observation.Context context) {
            events.add("stop " + context.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
