package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.demo.CounterHandler.Add;
import io.easynet.client.UnixStreamClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application test docs/spring.md shows: the demo's counter, reached through the server registry, with the
 * other servers off.
 */
@Timeout(30)
// tag::spring-test[]
@SpringBootTest(properties = {"easynet.unix.servers.echo.enabled=false", "easynet.unix.servers.fd.enabled=false"})
class CounterTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void paths(DynamicPropertyRegistry registry) {
        registry.add("easynet.unix.servers.counter.path", () -> dir.resolve("counter.sock").toString());
    }

    @Autowired
    UnixStreamServers servers;

    @Test
    void addsUp() throws Exception {
        try (UnixStreamClient<Add, Object> client = servers.connect("counter")) {
            client.send(new Add(2L));
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo(Map.of("total", 2));
        }
    }
}
// end::spring-test[]
