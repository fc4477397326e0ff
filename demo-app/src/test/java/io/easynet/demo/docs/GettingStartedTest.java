package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.easynet.demo.DemoApplication;
import io.easynet.demo.ExternalPrograms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.JsonNodeFactory;

/** The three clients of docs/getting-started.md (Java, Python, socat), each talking to the demo's echo server. */
@SpringBootTest(classes = DemoApplication.class)
@Timeout(30)
class GettingStartedTest {

    @TempDir
    static Path demoDir;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @Test
    void theJavaClientGetsItsRequestBack() throws Exception {
        var request = JsonNodeFactory.instance.objectNode().put("hello", "world");

        assertThat(CoreSamples.ask(demoDir.resolve("echo.sock"), request)).isEqualTo(request);
    }

    @Test
    void thePythonClientPrintsTheEchoedDocument() throws Exception {
        assumeTrue(ExternalPrograms.runs("python3", "--version"), "python3 is not installed: skipping the Python client of getting-started.md");
        Path script = Path.of(new ClassPathResource("docs/echo_client.py").getURI());

        assertThat(run(List.of("python3", script.toString(), demoDir.resolve("echo.sock").toString()), ""))
                .isEqualTo("{'hello': 'world'}\n");
    }

    @Test
    void socatSendsALineAndPrintsTheAnswer() throws Exception {
        assumeTrue(ExternalPrograms.runs("socat", "-V"), "socat is not installed: skipping the socat example of getting-started.md");

        assertThat(run(List.of("socat", "-t", "5", "-", "UNIX-CONNECT:" + demoDir.resolve("echo.sock")),
                "{\"hello\":\"world\"}\n")).isEqualTo("{\"hello\":\"world\"}\n");
    }

    private static String run(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
