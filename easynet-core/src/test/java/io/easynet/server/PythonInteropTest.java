package io.easynet.server;

import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.easynet.transport.Ancillary;
import io.easynet.transport.Received;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptor passing with a peer that is not EasyNet: CPython's standard library ({@code socket.send_fds} and
 * {@code socket.recv_fds}, Python 3.9 and later), skipped where no such {@code python3} is on the path.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PythonInteropTest {

    /**
     * Sends a line with a file's descriptor, then prints the answer, how many descriptors came with it, and what the
     * first one reads.
     */
    private static final String CLIENT = """
            import os, socket, sys
            server, request_file = sys.argv[1], sys.argv[2]
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(server)
                fd = os.open(request_file, os.O_RDONLY)
                socket.send_fds(s, [b"read this\\n"], [fd])
                os.close(fd)
                message, fds, flags, address = socket.recv_fds(s, 1024, 4)
                while not message.endswith(b"\\n"):
                    message += s.recv(1024)
                print(message.decode().strip(), "|", len(fds), "|", os.read(fds[0], 1024).decode())
                for received in fds:
                    os.close(received)
            """;

    @TempDir
    Path dir;

    @Test
    void aPythonClientSendsADescriptorWithSendFdsAndReceivesOneWithRecvFds() throws Exception {
        assumeThat(run("python3", "-c", "import socket; socket.send_fds")).as("python3 with socket.send_fds")
                .isZero();
        Path requestFile = Files.writeString(dir.resolve("request.txt"), "from python");
        Path responseFile = Files.writeString(dir.resolve("response.txt"), "from java");
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            Received<String> request = requests.receiveWithAncillary();
            String contents = AncillaryDataTest.contents(request.descriptors().take(0));
            try (var response = new FileInputStream(responseFile.toFile())) {
                client.sendWithAncillary(request.packet() + ": " + contents, Ancillary.rights(response.getFD()));
            }
        };
        var options = ServerOptions.builder().ancillaryBufferSize(Ancillary.bufferSizeFor(1)).build();
        try (var server = startLines(dir, handler, options)) {
            Process python = new ProcessBuilder("python3", "-c", CLIENT, server.path().toString(),
                    requestFile.toString()).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("read this: from python | 1 | from java\n");
            assertThat(python.exitValue()).isZero();
        }
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor();
        } catch (IOException e) {
            return -1; // not installed
        }
    }
}
