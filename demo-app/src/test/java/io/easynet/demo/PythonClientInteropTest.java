package io.easynet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import com.sun.security.auth.module.UnixSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The demo driven by a Python client that knows nothing of EasyNet: {@code interop/python_client.py}, CPython's
 * standard library only, framing JSON as EasyNetwork's default {@code JSONSerializer()} does and passing descriptors
 * with {@code socket.send_fds}/{@code recv_fds}. The script checks each answer itself (echoes byte for byte);
 * this test checks every line it received. Skipped, saying why, where no {@code python3} 3.9+ is on the path.
 */
@SpringBootTest(properties = "server.port=0")
@Timeout(60)
class PythonClientInteropTest {

    @TempDir
    static Path demoDir;

    @TempDir
    Path files;

    @DynamicPropertySource
    static void demoDirectory(DynamicPropertyRegistry registry) {
        registry.add("EASYNET_DEMO_DIR", demoDir::toString);
    }

    @Test
    void aPythonStandardLibraryClientGetsTheExactAnswersOfTheEchoCounterAndFdServers() throws Exception {
        assumeTrue(ExternalPrograms.runs("python3", "-c", "import socket; socket.send_fds"), "python3 (3.9 or later, for socket.send_fds) is not on the PATH: "
                + "skipping the CPython interop test of the demo");
        Path script = Path.of(getClass().getResource("/interop/python_client.py").toURI());
        Path file = Files.writeString(files.resolve("digest-me.txt"), "bytes from python\n");
        Process python = new ProcessBuilder("python3", script.toString(), demoDir.toString(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        var ids = new UnixSystem();
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(output).isEqualTo("""
                echo: {"hello":"world"}
                echo: {"text":"\\u00e9t\\u00e9 \\ud83d\\ude00","numbers":[1,2.5,null,true,1e+16,-0.0,0.1,1e-05,1180591620717411303424]}
                echo: "a bare string"
                echo: 42
                echo: null
                echo: []
                echo: an error for a bad line
                echo: {"after":"the error"}
                counter: {"total":2}
                counter: {"total":5}
                counter: {"total":10}
                counter: {"total":0}
                fd: {"pid":%d,"uid":%d,"gid":%d}
                fd: {"digests":["%s","%s"]}
                fd: {"ok":true} with a descriptor that reads 'hello python\\n'
                """.formatted(python.pid(), ids.getUid(), ids.getGid(), digest, digest));
    }
}
