package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With write access granted, {@code DELETE /actuator/easynet/{server}/{client}} disconnects that client. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.easynet.access=unrestricted")
@Timeout(30)
class ActuatorDisconnectTest {

    @TempDir
    static Path demoDir;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    UnixStreamServers servers;

    private ManagementHttp http;

    @BeforeEach
    void http() {
        http = new ManagementHttp(port);
    }

    @Test
    void deleteDisconnectsTheClientByIdOrNumberAndReportsAClientThatIsNotConnected() throws Exception {
        try (var first = connect(); var second = connect()) {
            await().until(() -> servers.get("echo").getServer().orElseThrow().clients().size() == 2);
            String firstId = idOfClient(0);
            String secondId = idOfClient(1);

            HttpResponse<String> byId = http.delete("/actuator/easynet/echo/" + firstId.replace("#", "%23"));
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(JsonMapper.shared().readTree(byId.body())).isEqualTo(JsonMapper.shared().readTree(
                    "{\"server\":\"echo\",\"client\":\"" + firstId + "\",\"disconnected\":true}"));
            assertThatThrownBy(() -> first.receive(Duration.ofSeconds(5))).isInstanceOf(EOFException.class);

            String number = secondId.substring("client#".length());
            HttpResponse<String> byNumber = http.delete("/actuator/easynet/echo/" + number);
            assertThat(byNumber.statusCode()).isEqualTo(200);
            assertThat(JsonMapper.shared().readTree(byNumber.body()).at("/disconnected").asBoolean()).isTrue();
            assertThatThrownBy(() -> second.receive(Duration.ofSeconds(5))).isInstanceOf(EOFException.class);

            // not found once its connection is over on the server's side too
            await().until(() -> !JsonMapper.shared().readTree(http.delete("/actuator/easynet/echo/" + number).body())
                    .at("/disconnected").asBoolean());
            assertThat(http.delete("/actuator/easynet/nope/1").statusCode()).isEqualTo(400);
        }
    }

    private String idOfClient(int index) throws Exception {
        return http.json("/actuator/easynet/echo").at("/clients/" + index + "/id").asString();
    }

    private static UnixStreamClient<String, String> connect() throws Exception {
        return UnixStreamClient.connect(demoDir.resolve("echo.sock"), StreamProtocol.of(new LineSerializer()));
    }
}
