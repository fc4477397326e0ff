package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo's {@code counter} contract: a running total per connection, driven over its socket. */
@SpringBootTest
@Timeout(30)
class CounterServerTest {

    @TempDir
    static Path demoDir;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @Autowired
    UnixStreamServers servers;

    @Value("${local.easynet.unix.counter.path}")
    Path counterPath;

    @Test
    void theBoundPathIsPublishedAndAClientFromTheRegistrySpeaksTheServersTypes() throws Exception {
        assertThat(counterPath).isEqualTo(demoDir.resolve("counter.sock"));
        try (UnixStreamClient<CounterHandler.Add, Object> client = servers.connect("counter")) {
            client.send(new CounterHandler.Add(2L));
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo(Map.of("total", 2));
            client.send(new CounterHandler.Add(40L));
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo(Map.of("total", 42));
        }
    }

    @Test
    void eachConnectionKeepsItsOwnTotalStartingAtZero() throws Exception {
        try (var first = connect(); var second = connect()) {
            assertThat(exchange(first, "{\"add\": 5}")).isEqualTo("{\"total\":5}");
            assertThat(exchange(second, "{\"add\": 100}")).isEqualTo("{\"total\":100}");
            assertThat(exchange(first, "{\"add\": -2}")).isEqualTo("{\"total\":3}");
        }
        try (var third = connect()) {
            assertThat(exchange(third, "{\"add\": 1}")).isEqualTo("{\"total\":1}");
        }
    }

    @Test
    void badRequestsGetAnErrorAndLeaveTheTotalAndTheConnectionAsTheyWere() throws Exception {
        try (var client = connect()) {
            assertThat(exchange(client, "{\"add\": 7}")).isEqualTo("{\"total\":7}");
            assertThat(exchange(client, "{\"add\": \"x\"}")).startsWith("{\"error\":\"");
            assertThat(exchange(client, "{oops")).startsWith("{\"error\":\"invalid JSON at column 2");
            assertThat(exchange(client, "{\"sub\": 1}")).isEqualTo("{\"error\":\"expected {\\\"add\\\": <integer>}\"}");
            assertThat(exchange(client, "{\"add\": 9223372036854775807}"))
                    .isEqualTo("{\"error\":\"the total would overflow a 64-bit integer\"}");
            assertThat(exchange(client, "{\"add\": 1}")).isEqualTo("{\"total\":8}");
        }
    }

    private static UnixStreamClient<String, String> connect() throws Exception {
        return UnixStreamClient.connect(demoDir.resolve("counter.sock"), StreamProtocol.of(new LineSerializer()));
    }

    private static String exchange(UnixStreamClient<String, String> client, String line) throws Exception {
        client.send(line);
        return client.receive(Duration.ofSeconds(5));
    }
}
