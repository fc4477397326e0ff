package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo's {@code echo} contract, driven over its socket by a Java client and by CPython's standard library. */
@SpringBootTest
@Timeout(30)
class EchoServerTest {

    @TempDir
    static Path demoDir;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @Test
    void everyJsonValueComesBackUnchangedAndBadJsonGetsAnErrorOnAConnectionThatStaysOpen() throws Exception {
        try (var client = UnixStreamClient.connect(demoDir.resolve("echo.sock"),
                StreamProtocol.of(new LineSerializer()))) {
            for (String value : List.of("{\"a\":1,\"b\":[true,null]}", "\"bare string\"", "42", "null", "[1,2,3]",
                    "\"\\u00e9t\\u00e9\"")) {
                client.send(value);
                assertThat(client.receive()).isEqualTo(value);
            }
            client.send("{bad");
            assertThat(client.receive()).startsWith("{\"error\":\"invalid JSON at column 2: Unexpected character")
                    .endsWith("(packet at stream offset 70)\"}");
            client.send("\"still open\"");
            assertThat(client.receive()).isEqualTo("\"still open\"");
        }
    }

    @Test
    void pythonStandardLibraryClientTalksToTheEchoServer() throws Exception {
        assumeTrue(ExternalPrograms.runs("python3", "--version"), "python3 is not installed: skipping the CPython interop check");
        String script = """
                import json, socket, sys
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(sys.argv[1])
                stream = sock.makefile("rwb")
                for value in [{"name": "caf\\u00e9", "n": [1, 2.5]}, "text", None]:
                    stream.write(json.dumps(value, separators=(",", ":")).encode() + b"\\n")
                    stream.flush()
                    line = stream.readline()
                    assert json.loads(line) == value, (line, value)
                    sys.stdout.write(line.decode())
                """;
        Process python = new ProcessBuilder("python3", "-c", script, demoDir.resolve("echo.sock").toString())
                .redirectErrorStream(true).start();
        assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("{\"name\":\"caf\\u00e9\",\"n\":[1,2.5]}\n\"text\"\nnull\n");
    }

    @Test
    void socketFileIsInTheDemoDirectory() {
        assertThat(Files.isDirectory(demoDir)).isTrue();
        assertThat(demoDir.resolve("echo.sock")).exists();
    }
}
