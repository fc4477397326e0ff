package io.easynet.boot.unix.autoconfigure.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.List;

import io.easynet.boot.unix.UnixStreamServerFactory;
import io.easynet.boot.unix.UnixStreamServerMonitors;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint.ClientsDescriptor;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint.DisconnectDescriptor;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint.OptionsDescriptor;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint.ProtocolDescriptor;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint.ServerDescriptor;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.LineClient;
import io.easynet.boot.unix.autoconfigure.TestHandlers;
import io.easynet.monitor.ClientActivity;
import io.easynet.monitor.TrafficTotals;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.MinReceiveRate;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code easynet} endpoint: servers, their clients with exact figures, and disconnection, over real sockets. */
@Timeout(30)
class EasynetUnixEndpointAutoConfigurationTests {

    private static final String EXPOSED = "management.endpoints.web.exposure.include=easynet";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class,
                    EasynetUnixEndpointAutoConfiguration.class))
            .withUserConfiguration(TestHandlers.EchoConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void serversAreListedWithTheirSettingsAndLiveFigures() {
        runner.withPropertyValues(EXPOSED, path(), "easynet.unix.servers.echo.max-connections=8",
                "easynet.unix.servers.echo.mode=0660").run(context -> {
                    EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
                    try (LineClient client = LineClient.connect(socket())) {
                        assertThat(client.exchange("{\"a\":1}")).isEqualTo("{\"a\":1}");
                        await().until(() -> endpoint.servers().servers().get("echo").totals().packetsOut() == 1);
                        ServerDescriptor echo = endpoint.servers().servers().get("echo");
                        assertThat(endpoint.servers().servers()).containsOnlyKeys("echo");
                        assertThat(echo.path()).isEqualTo(socket().toString());
                        assertThat(echo.running()).isTrue();
                        String json = JsonSerializer.tree().toString();
                        assertThat(echo.protocol()).isEqualTo(new ProtocolDescriptor(json, json));
                        assertThat(echo.options()).isEqualTo(new OptionsDescriptor(ServerOptions.DEFAULT_BACKLOG, "rw-rw----", 8, 65536, 16384,
                                null, null, Duration.ofSeconds(30), Duration.ofSeconds(60),
                                new MinReceiveRate(1024, Duration.ofSeconds(10)), 1024, 253));
                        assertThat(echo.startedAt()).isNotNull();
                        assertThat(echo.activeConnections()).isEqualTo(1);
                        assertThat(echo.totals()).isEqualTo(new TrafficTotals(1, 8, 8, 1, 1));
                    }
                });
    }

    @Test
    void clientsOfAServerAreListedWithTheirExactTraffic() {
        runner.withPropertyValues(EXPOSED, path()).run(context -> {
            EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
            try (LineClient first = LineClient.connect(socket()); LineClient second = LineClient.connect(socket())) {
                assertThat(first.exchange("[1,2,3]")).isEqualTo("[1,2,3]");
                assertThat(first.exchange("\"hello\"")).isEqualTo("\"hello\"");
                assertThat(second.exchange("null")).isEqualTo("null");
                await().until(() -> clientsOf(endpoint).stream().mapToLong(ClientActivity::packetsOut).sum() == 3);
                ClientsDescriptor clients = endpoint.clients("echo");
                assertThat(clients.server()).isEqualTo("echo");
                assertThat(clients.clients()).extracting(ClientActivity::id, ClientActivity::bytesIn,
                        ClientActivity::bytesOut, ClientActivity::packetsIn, ClientActivity::packetsOut)
                        .containsExactly(tuple("client#1", 16L, 16L, 2L, 2L),
                                tuple("client#2", 5L, 5L, 1L, 1L));
                ClientActivity activity = clients.clients().getFirst();
                assertThat(activity.peer()).startsWith("unnamed");
                assertThat(activity.lastActivity()).isAfterOrEqualTo(activity.connectedSince());
                JsonNode json = JsonMapper.shared().valueToTree(clients);
                assertThat(json.at("/clients/0/id").asString()).isEqualTo("client#1");
                assertThat(json.at("/clients/0/bytesIn").asLong()).isEqualTo(16);
            }
        });
    }

    /** A server reading credentials runs on junixsocket, whose clients were shown as "unnamed" alone. */
    @ParameterizedTest(name = "peer-credentials={0}")
    @ValueSource(booleans = {false, true})
    void aClientIsShownWithTheUserAndGroupOfItsProcessOnEitherTransport(boolean peerCredentials) throws Exception {
        PosixFileAttributes ours = Files.readAttributes(Files.createFile(dir.resolve("probe")),
                PosixFileAttributes.class);
        runner.withPropertyValues(EXPOSED, path(), "easynet.unix.servers.echo.peer-credentials=" + peerCredentials)
                .run(context -> {
                    EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
                    try (LineClient client = LineClient.connect(socket())) {
                        assertThat(client.exchange("1")).isEqualTo("1");
                        assertThat(endpoint.clients("echo").clients()).singleElement()
                                .extracting(ClientActivity::peer).isEqualTo("unnamed (user " + ours.owner().getName()
                                        + ", group " + ours.group().getName() + ")");
                    }
                });
    }

    @Test
    void anUnknownServerHasNoClientsDescriptor() {
        runner.withPropertyValues(EXPOSED, path())
                .run(context -> assertThat(context.getBean(EasynetEndpoint.class).clients("nope")).isNull());
    }

    @Test
    void disconnectClosesThatClientWhichReadsEndOfStreamAndTheOtherStays() {
        runner.withPropertyValues(EXPOSED, path()).run(context -> {
            EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
            try (LineClient doomed = LineClient.connect(socket()); LineClient other = LineClient.connect(socket())) {
                await().until(() -> clientsOf(endpoint).size() == 2);
                assertThat(endpoint.disconnect("echo", "client#1"))
                        .isEqualTo(new DisconnectDescriptor("echo", "client#1", true));
                assertThatThrownBy(doomed::receive).isInstanceOf(EOFException.class);
                await().until(() -> clientsOf(endpoint).stream().map(ClientActivity::id).toList()
                        .equals(List.of("client#2")));
                assertThat(other.exchange("2")).isEqualTo("2");
                assertThat(endpoint.disconnect("echo", "2")).isEqualTo(new DisconnectDescriptor("echo", "client#2", true));
                assertThatThrownBy(other::receive).isInstanceOf(EOFException.class);
            }
        });
    }

    @Test
    void disconnectOfAClientThatIsNotConnectedReportsItAndLeavesTheOthersAlone() {
        runner.withPropertyValues(EXPOSED, path()).run(context -> {
            EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
            try (LineClient client = LineClient.connect(socket())) {
                await().until(() -> clientsOf(endpoint).size() == 1);
                assertThat(endpoint.disconnect("echo", "client#9"))
                        .isEqualTo(new DisconnectDescriptor("echo", "client#9", false));
                assertThat(client.exchange("\"unharmed\"")).isEqualTo("\"unharmed\"");
            }
        });
    }

    @Test
    void disconnectOnAnUnknownServerIsABadRequestNamingTheServers() {
        runner.withPropertyValues(EXPOSED, path()).run(context -> assertThatThrownBy(
                () -> context.getBean(EasynetEndpoint.class).disconnect("nope", "1"))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("no Unix stream server is called 'nope'; the servers are [echo]"));
    }

    @Test
    void aStoppedServerIsListedAsNotRunningAndARestartedOneIsMonitoredAgain() {
        runner.withPropertyValues(EXPOSED, path()).run(context -> {
            EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
            context.stop();
            ServerDescriptor stopped = endpoint.servers().servers().get("echo");
            assertThat(stopped.running()).isFalse();
            assertThat(stopped.startedAt()).isNull();
            assertThat(stopped.activeConnections()).isZero();
            context.start();
            try (LineClient client = LineClient.connect(socket())) {
                assertThat(client.exchange("1")).isEqualTo("1");
                await().until(() -> clientsOf(endpoint).size() == 1);
            }
        });
    }

    @Test
    void aServerOfAHandBuiltRegistryIsListedButItsClientsAreRefusedAsNotMonitored() {
        runner.withPropertyValues(EXPOSED).withUserConfiguration(HandBuiltRegistryConfiguration.class)
                .withBean("socket", Path.class, this::socket).run(context -> {
                    EasynetEndpoint endpoint = context.getBean(EasynetEndpoint.class);
                    assertThat(endpoint.servers().servers().get("raw").totals()).isNull();
                    assertThatThrownBy(() -> endpoint.clients("raw"))
                            .isInstanceOf(InvalidEndpointRequestException.class)
                            .hasMessage("Unix stream server 'raw' has no connection monitor: its factory was not "
                                    + "customized by the UnixStreamServerMonitors bean");
                });
    }

    @Test
    void neitherTheEndpointNorTheMonitorsExistUnlessTheEndpointIsExposed() {
        runner.withPropertyValues(path()).run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(EasynetEndpoint.class).doesNotHaveBean(UnixStreamServerMonitors.class));
    }

    @Test
    void backsOffWhenTheEndpointsAccessIsNone() {
        runner.withPropertyValues(EXPOSED, path(), "management.endpoint.easynet.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(EasynetEndpoint.class));
    }

    @Test
    void backsOffWithoutTheActuator() {
        runner.withPropertyValues(EXPOSED, path())
                .withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EasynetEndpoint.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class HandBuiltRegistryConfiguration {

        @Bean
        UnixStreamServers unixStreamServers(Path socket, ApplicationEventPublisher events) {
            StreamRequestHandler<String, String> echo = (client, requests) -> client.send(requests.receive());
            return new UnixStreamServers(() -> List.of(new UnixStreamServerFactory<>("raw", socket,
                    StreamProtocol.of(new LineSerializer()), echo, ServerOptions.defaults())), null, events);
        }
    }

    private Path socket() {
        return dir.resolve("echo.sock");
    }

    private String path() {
        return "easynet.unix.servers.echo.path=" + socket();
    }

    private static List<ClientActivity> clientsOf(EasynetEndpoint endpoint) {
        return endpoint.clients("echo").clients();
    }
}
