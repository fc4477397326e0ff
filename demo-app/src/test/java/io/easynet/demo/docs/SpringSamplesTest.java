package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.metrics.EasynetUnixMetricsAutoConfiguration;
import io.easynet.client.UnixStreamClient;
import io.easynet.micrometer.PerClientMetrics;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.CborSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs the Spring samples of docs/spring.md, docs/metrics.md and docs/serializers.md over real sockets: handler
 * beans, handler methods, customizers, a serializer bean.
 */
@Timeout(30)
class SpringSamplesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void theAnnotationGivesThePathWithAPlaceholderAndTheSerializer() {
        runner.withUserConfiguration(AnnotatedEcho.class).withPropertyValues("app.run-dir=" + dir)
                .run(context -> assertThat(exchange(dir.resolve("echo.sock"), "{\"a\":[1,null]}"))
                        .isEqualTo("{\"a\":[1,null]}"));
    }

    @Test
    void aHandlerMethodAnswersWithWhatItReturnsAndAVoidOneSendsNothing() {
        runner.withUserConfiguration(Prices.class)
                .withPropertyValues("easynet.unix.servers.prices.path=" + dir.resolve("prices.sock"),
                        "easynet.unix.servers.audit.path=" + dir.resolve("audit.sock"))
                .run(context -> {
                    assertThat(exchange(dir.resolve("prices.sock"), "{\"symbol\":\"ACME\"}"))
                            .isEqualTo("{\"symbol\":\"ACME\",\"price\":4.2}");
                    try (var client = connect(dir.resolve("audit.sock"))) {
                        client.send("[{\"action\":\"login\"},{\"action\":\"logout\"}]");
                        Prices prices = context.getBean(Prices.class);
                        await().atMost(Duration.ofSeconds(10)).until(() -> prices.audited.size() == 2);
                        assertThat(prices.audited).containsExactly("client#1 login", "client#1 logout");
                    }
                });
    }

    @Test
    void theCustomizerLimitsOnlyTheAdminServer() {
        runner.withUserConfiguration(AdminAndEcho.class)
                .withPropertyValues("easynet.unix.servers.admin.path=" + dir.resolve("admin.sock"),
                        "easynet.unix.servers.admin.serializer=line", "app.run-dir=" + dir)
                .run(context -> {
                    UnixStreamServers servers = context.getBean(UnixStreamServers.class);
                    assertThat(servers.get("admin").getServer().orElseThrow().options().maxConnections())
                            .isEqualTo(4);
                    assertThat(servers.get("echo").getServer().orElseThrow().options().maxConnections())
                            .isEqualTo(ServerOptions.DEFAULT_MAX_CONNECTIONS);
                    assertThat(exchange(dir.resolve("admin.sock"), "status")).isEqualTo("ok status");
                });
    }

    @Test
    void aCustomizerNamedLikeTheStartersMetricsCustomizerReplacesItsTags() {
        runner.withConfiguration(AutoConfigurations.of(EasynetUnixMetricsAutoConfiguration.class))
                .withUserConfiguration(TeamMetrics.class)
                .withPropertyValues("easynet.unix.servers.admin.path=" + dir.resolve("admin.sock"),
                        "easynet.unix.servers.admin.serializer=line")
                .run(context -> {
                    assertThat(exchange(dir.resolve("admin.sock"), "status")).isEqualTo("ok status");
                    assertThat(context.getBean(MeterRegistry.class).find("easynet.unix.connections.accepted")
                            .counters()).singleElement().satisfies(counter -> {
                                assertThat(counter.getId().getTag("team")).isEqualTo("payments");
                                assertThat(counter.getId().getTag("server")).isEqualTo("admin");
                            });
                });
    }

    @Test
    void aSerializerBeanNamedInThePropertiesFramesTheServersPackets() {
        runner.withUserConfiguration(CborEcho.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"),
                        "easynet.unix.servers.echo.serializer=cbor")
                .run(context -> {
                    var request = JsonNodeFactory.instance.objectNode().put("a", 1).put("b", "two");
                    try (var client = UnixStreamClient.connect(dir.resolve("echo.sock"),
                            StreamProtocol.of(CborSerializer.tree()))) {
                        client.send(request);
                        assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo(request);
                    }
                });
    }

    private static String exchange(Path path, String request) throws Exception {
        try (var client = connect(path)) {
            client.send(request);
            return client.receive(Duration.ofSeconds(5));
        }
    }

    private static UnixStreamClient<String, String> connect(Path path) throws Exception {
        return UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer()));
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedEcho {

        // tag::annotated-bean[]
        @Bean
        @UnixStreamHandler(name = "echo", path = "${app.run-dir}/echo.sock", serializer = "json")
        StreamRequestHandler<JsonNode, JsonNode> echo() {
            return (client, requests) -> client.send(requests.receive());
        }
        // end::annotated-bean[]
    }

    @Configuration(proxyBeanMethods = false)
    @Import(AnnotatedEcho.class)
    static class AdminAndEcho {

        @Bean
        @UnixStreamHandler("admin")
        StreamRequestHandler<String, String> admin() {
            return (client, requests) -> client.send("ok " + requests.receive());
        }

        // tag::customizer[]
        @Bean
        UnixStreamServerCustomizer limitAdmin() {
            return factory -> {
                if (factory.getName().equals("admin")) {
                    factory.setOptions(factory.getOptions().toBuilder().maxConnections(4).build());
                }
            };
        }
        // end::customizer[]
    }

    @Configuration(proxyBeanMethods = false)
    static class TeamMetrics {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        @UnixStreamHandler("admin")
        StreamRequestHandler<String, String> admin() {
            return (client, requests) -> client.send("ok " + requests.receive());
        }

        // tag::metrics-customizer[]
        @Bean
        UnixStreamServerCustomizer easynetUnixMetricsCustomizer(MeterRegistry registry) {
            return factory -> factory.addListener(new ServerMetricsListener(registry,
                    Tags.of("server", factory.getName(), "team", "payments"), PerClientMetrics.off()));
        }
        // end::metrics-customizer[]
    }

    @Configuration(proxyBeanMethods = false)
    static class CborEcho {

        @Bean
        @UnixStreamHandler("echo")
        StreamRequestHandler<JsonNode, JsonNode> echo() {
            return (client, requests) -> client.send(requests.receive());
        }

        // tag::serializer-bean[]
        @Bean
        StreamSerializer<JsonNode> cbor() {        // easynet.unix.servers.echo.serializer: cbor
            return CborSerializer.tree();
        }
        // end::serializer-bean[]
    }

    record QuoteRequest(String symbol) {
    }

    record Quote(String symbol, double price) {
    }

    record AuditEvent(String action) {
    }

    // tag::handler-method[]
    @Component
    static class Prices {

        final List<String> audited = new CopyOnWriteArrayList<>();

        @UnixStreamHandler("prices")
        Quote quote(QuoteRequest request) {                 // Jackson binds QuoteRequest, writes Quote
            return new Quote(request.symbol(), 4.2);
        }

        @UnixStreamHandler("audit")
        void record(List<AuditEvent> events, StreamClient<Object> client) {   // void: nothing is sent
            events.forEach(event -> audited.add(client.id() + " " + event.action()));
        }
    }
    // end::handler-method[]
}
