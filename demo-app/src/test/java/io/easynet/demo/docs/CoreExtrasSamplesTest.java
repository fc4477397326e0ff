package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.monitor.ClientActivity;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AccessPolicy;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.EOFException;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link CoreExtrasSamples} and {@link HeadHandler} over real sockets. */
@Timeout(30)
class CoreExtrasSamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    private static final StreamRequestHandler<String, String> ECHO = (client, requests) -> client.send(requests.receive());

    @TempDir
    Path dir;

    @Test
    void theHeadHandlerReadsFromTheDescriptorItReceivesAndSendsItBackPositionedAfterWhatItRead() throws Exception {
        Path file = Files.writeString(dir.resolve("greeting.txt"), "hello world\n");
        Path path = dir.resolve("head.sock");
        try (var server = new AsyncUnixStreamServer<>(path, LINES, new HeadHandler(),
                CoreExtrasSamples.descriptorOptions())) {
            server.start();
            try (var client = UnixStreamClient.connect(path, LINES,
                    ClientOptions.defaults().withAncillaryBufferSize(Ancillary.bufferSizeFor(1)));
                    var in = new FileInputStream(file.toFile())) {
                client.sendWithAncillary("5", Ancillary.rights(in.getFD()));
                Received<String> received = client.receiveWithAncillary(WAIT);

                assertThat(received.packet()).isEqualTo("hello");
                try (var rest = received.descriptors().takeInputStream(0)) {
                    assertThat(new String(rest.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(" world\n");
                }
            }
        }
    }

    @Test
    void theAccessPoliciesAreTheOnesTheCommentsSayAndTheSameUserPolicyLetsThisProcessIn() throws Exception {
        List<ServerOptions> options = CoreExtrasSamples.accessPolicies();

        assertThat(options).extracting(ServerOptions::accessPolicy).containsExactly(
                new AccessPolicy(Set.of(), Set.of(), true), new AccessPolicy(Set.of(1000, 1001), Set.of(), false),
                new AccessPolicy(Set.of(1000), Set.of(100), true));
        Path path = dir.resolve("same-user.sock");
        try (var server = new AsyncUnixStreamServer<>(path, LINES, ECHO, options.get(0))) {
            server.start();
            assertThat(exchange(path, "me")).isEqualTo("me");
        }
    }

    @Test
    void theMonitorListsTheConnectedClientWithItsTrafficAndDisconnectsIt() throws Exception {
        Path path = dir.resolve("monitored.sock");
        try (var server = new AsyncUnixStreamServer<>(path, LINES, ECHO)) {
            UnixStreamClient<String, String>[] client = new UnixStreamClient[1];
            var view = CoreExtrasSamples.monitor(server, monitor -> {
                try {
                    client[0] = UnixStreamClient.connect(path, LINES);
                    client[0].send("ping");
                    assertThat(client[0].receive(WAIT)).isEqualTo("ping");
                    // the server counts a response once its write returns, which may be after the client read it
                    await().until(() -> monitor.totals().packetsOut() == 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (var connected = client[0]) {
                assertThat(view.clients()).extracting(ClientActivity::id).containsExactly("client#1");
                assertThat(view.first()).get().extracting(ClientActivity::packetsIn, ClientActivity::packetsOut,
                        ClientActivity::bytesIn).containsExactly(1L, 1L, 5L);
                assertThat(view.active()).isEqualTo(1);
                assertThat(view.totals().packetsIn()).isEqualTo(1);
                assertThat(view.disconnected()).isTrue();
                assertThat(catchThrowable(() -> connected.receive(WAIT))).isInstanceOf(EOFException.class);
            }
        }
    }

    @Test
    void theMeteredServerCountsItsConnectionsUnderItsServerTag() throws Exception {
        Path path = dir.resolve("metered.sock");
        var metered = CoreExtrasSamples.metered(path, LINES, ECHO, ServerOptions.defaults());
        try (var server = metered.server()) {
            assertThat(exchange(path, "hi")).isEqualTo("hi");

            assertThat(metered.meters().get("easynet.unix.connections.accepted").tag("server", "echo").counter()
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void serversSharingOneSequenceNumberTheirClientsOnFromOneAnother() throws Exception {
        Path path = dir.resolve("restarted.sock");
        var numbers = new AtomicLong();
        var metrics = new ServerMetricsListener(new SimpleMeterRegistry(), Tags.of("server", "ids"));
        StreamRequestHandler<String, String> ids = (client, requests) -> {
            requests.receive();
            client.send(client.id());
        };
        for (String expected : List.of("client#1", "client#2")) {
            try (var server = CoreExtrasSamples.restarted(path, LINES, ids, ServerOptions.defaults(), numbers,
                    metrics)) {
                server.start();
                assertThat(exchange(path, "who")).isEqualTo(expected);
            }
        }
    }

    private static String exchange(Path path, String request) throws Exception {
        try (var client = UnixStreamClient.connect(path, LINES)) {
            client.send(request);
            return client.receive(WAIT);
        }
    }
}
