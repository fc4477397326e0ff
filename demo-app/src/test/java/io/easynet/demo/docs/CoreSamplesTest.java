package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/** Runs the core samples of README.md and docs/core.md ({@link CoreSamples}) over real sockets. */
@Timeout(30)
class CoreSamplesTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeEchoServerServesUntilItsThreadIsInterruptedAndTheClientSampleGetsTheEcho() throws Exception {
        Path path = dir.resolve("app.sock");
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                CoreSamples.serveEcho(path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(path));

        var request = JsonNodeFactory.instance.objectNode().put("hello", "world");
        assertThat(CoreSamples.ask(path, request)).isEqualTo(request);

        serving.interrupt();
        serving.join(Duration.ofSeconds(10));
        assertThat(serving.isAlive()).isFalse();
        assertThat(path).doesNotExist();
    }

    @Test
    void theCoreServerSampleBindsWithItsModeAndGreetsWithMyHandler() throws Exception {
        Path path = dir.resolve("app.sock");
        try (var server = CoreSamples.startGreetings(path);
                var client = UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer()))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw----");
            client.send("{\"name\":\"Ada\"}");
            assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("{\"greeting\":\"hello Ada\"}");
        }
    }
}
