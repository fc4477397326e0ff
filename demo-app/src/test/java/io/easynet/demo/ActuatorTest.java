package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The demo's management endpoints over HTTP, on a random port so that the test runs beside a running demo: the
 * {@code easynet} health component, the {@code easynet} endpoint listing a connected client, and Prometheus.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class ActuatorTest {

    @TempDir
    static Path demoDir;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @LocalServerPort
    int port;

    private ManagementHttp http;

    @BeforeEach
    void http() {
        http = new ManagementHttp(port);
    }

    @Test
    void healthShowsEachServerAsAnUpComponentOfEasynet() throws Exception {
        JsonNode health = http.json("/actuator/health");
        assertThat(health.at("/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/easynet/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/easynet/components/echo/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/easynet/components/echo/details/path").asString())
                .isEqualTo(demoDir.resolve("echo.sock").toString());
        assertThat(health.at("/components/easynet/components/counter/status").asString()).isEqualTo("UP");
    }

    @Test
    void healthTurnsDownWhenTheSocketFileIsDeleted() throws Exception {
        Path counter = demoDir.resolve("counter.sock");
        Path moved = demoDir.resolve("counter.sock.moved");
        // moved aside and back, so that the other tests of this context still find the server
        Files.move(counter, moved);
        try {
            HttpResponse<String> response = http.get("/actuator/health");
            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode health = JsonMapper.shared().readTree(response.body());
            assertThat(health.at("/components/easynet/components/counter/status").asString()).isEqualTo("DOWN");
            assertThat(health.at("/components/easynet/components/counter/details/reason").asString())
                    .isEqualTo("the socket file was deleted: new clients cannot connect");
        } finally {
            Files.move(moved, counter);
        }
        assertThat(http.json("/actuator/health").at("/status").asString()).isEqualTo("UP");
    }

    @Test
    void theEasynetEndpointListsTheServersAndAConnectedClientOfEcho() throws Exception {
        try (var client = UnixStreamClient.connect(demoDir.resolve("echo.sock"),
                StreamProtocol.of(new LineSerializer()))) {
            client.send("{\"hello\":\"world\"}");
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("{\"hello\":\"world\"}");
            await().until(() -> http.json("/actuator/easynet/echo").at("/clients/0/packetsOut").asLong() == 1);
            JsonNode echo = http.json("/actuator/easynet/echo");
            assertThat(echo.at("/server").asString()).isEqualTo("echo");
            assertThat(echo.at("/clients")).hasSize(1);
            JsonNode connected = echo.at("/clients/0");
            assertThat(connected.at("/id").asString()).startsWith("client#");
            assertThat(connected.at("/peer").asString()).startsWith("unnamed");
            assertThat(connected.at("/bytesIn").asLong()).isEqualTo(18);
            assertThat(connected.at("/bytesOut").asLong()).isEqualTo(18);
            assertThat(connected.at("/packetsIn").asLong()).isEqualTo(1);
            assertThat(connected.at("/connectedSince").isString()).isTrue();
            assertThat(connected.at("/lastActivity").isString()).isTrue();

            JsonNode servers = http.json("/actuator/easynet");
            assertThat(servers.at("/servers/echo/path").asString()).isEqualTo(demoDir.resolve("echo.sock").toString());
            assertThat(servers.at("/servers/echo/running").asBoolean()).isTrue();
            assertThat(servers.at("/servers/echo/activeConnections").asInt()).isEqualTo(1);
            assertThat(servers.at("/servers/echo/options/shutdownGracePeriod").asString()).isEqualTo("PT30S");
            assertThat(servers.at("/servers/echo/options/sendTimeout").asString()).isEqualTo("PT1M");
            assertThat(servers.at("/servers/echo/options/minReceiveRate/bytesPerSecond").asInt()).isEqualTo(1024);
            assertThat(servers.at("/servers/echo/options/minReceiveRate/grace").asString()).isEqualTo("PT10S");
            assertThat(servers.at("/servers/echo/options/maxQueuedSends").asInt()).isEqualTo(1024);
            assertThat(servers.at("/servers/echo/options/maxDescriptors").asInt()).isEqualTo(253);
            assertThat(servers.at("/servers/counter/running").asBoolean()).isTrue();
        }
    }

    @Test
    void anUnknownServerIsNotFound() throws Exception {
        assertThat(http.get("/actuator/easynet/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void disconnectingIsNotMappedByDefaultSinceTheEndpointIsReadOnly() throws Exception {
        assertThat(http.delete("/actuator/easynet/echo/1").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusShowsTheServersMetersAfterTraffic() throws Exception {
        try (var client = UnixStreamClient.connect(demoDir.resolve("counter.sock"),
                StreamProtocol.of(new LineSerializer()))) {
            client.send("{\"add\": 1}");
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("{\"total\":1}");
            var response = http.get("/actuator/prometheus");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("easynet_unix_connections_active{server=\"counter\"} 1.0")
                    .contains("easynet_unix_packets_received_total{server=\"counter\"} 1.0")
                    .contains("easynet_unix_data_received_bytes_total{server=\"counter\"} 11.0")
                    .containsPattern("easynet_unix_client_packets_sent_total\\{client=\"client#\\d+\","
                            + "server=\"counter\"\\} 1.0");
        }
    }
}
