package io.easynet.demo;

import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.JsonSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The demo's servers, each a bean that starts with the context and stops, removing its socket file, when the
 * context closes (Ctrl+C or SIGTERM). The directory comes from {@code EASYNET_DEMO_DIR}, by default
 * {@code ${java.io.tmpdir}/easynet-demo}, and is created if missing.
 */
@Configuration(proxyBeanMethods = false)
public class DemoServers {

    private final Path directory;

    DemoServers(@Value("${EASYNET_DEMO_DIR:${java.io.tmpdir}/easynet-demo}") Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** {@code echo} at {@code $EASYNET_DEMO_DIR/echo.sock}, JSON lines as EasyNetwork's JSONSerializer. */
    @Bean(initMethod = "start", destroyMethod = "close")
    AsyncUnixStreamServer<JsonNode, JsonNode> echoServer() {
        return new AsyncUnixStreamServer<>(directory.resolve("echo.sock"), StreamProtocol.of(JsonSerializer.tree()),
                new EchoHandler());
    }
}
