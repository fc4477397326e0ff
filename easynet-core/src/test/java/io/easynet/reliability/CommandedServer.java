package io.easynet.reliability;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM that a test drives by lines on its standard input and that answers with lines starting
 * with its reply prefix: the heap, descriptors and limits measured are then the server's alone.
 */
final class CommandedServer implements AutoCloseable {

    /** How long to wait for a line from the child. */
    static final long REPLY_WAIT_SECONDS = 30;

    private final Process process;

    private final Writer commands;

    private final Queue<String> output = new ConcurrentLinkedQueue<>();

    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private CommandedServer(Process process, String replyPrefix) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("commanded-server-output").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (line.startsWith(replyPrefix)) {
                        replies.add(line.substring(replyPrefix.length()));
                    }
                }
            } catch (IOException e) {
                output.add("reading the child's output failed: " + e);
            }
        });
    }

    /**
     * Starts {@code main} in a child JVM on this JVM's class path, with junixsocket's native access granted.
     *
     * @param shellPrefix a shell command run before the JVM replaces it (such as {@code ulimit -n 256}), or none
     * @param jvmOptions options such as {@code -Xmx256m}
     * @param replyPrefix what the child's reply lines start with
     */
    static CommandedServer start(String shellPrefix, List<String> jvmOptions, Class<?> main, String replyPrefix,
            String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if (!shellPrefix.isEmpty()) {
            // the prefix applies to this shell, which exec replaces with the JVM
            command.addAll(List.of("sh", "-c", shellPrefix + " && exec \"$0\" \"$@\""));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(arguments));
        return new CommandedServer(new ProcessBuilder(command).redirectErrorStream(true).start(), replyPrefix);
    }

    /** Sends {@code command} and returns the reply, which must start with {@code expected}. */
    String command(String command, String expected) throws IOException, InterruptedException {
        send(command);
        return reply(expected);
    }

    /** Sends {@code command} without waiting for a reply. */
    void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** {@return the child's next reply, which must start with {@code expected}} */
    String reply(String expected) throws InterruptedException {
        String reply = replies.poll(REPLY_WAIT_SECONDS, TimeUnit.SECONDS);
        if (reply == null || !reply.startsWith(expected)) {
            fail("expected '%s' from the server's JVM, got %s; its output: %s", expected, reply, output);
        }
        return reply;
    }

    /** {@return every line the child printed so far} */
    Queue<String> output() {
        return output;
    }

    /** Sends {@code exit} and waits for the child to end; returns whether it ended in time. */
    boolean exit() throws IOException, InterruptedException {
        send("exit");
        return process.waitFor(REPLY_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** {@return the exit status of the child, which has ended} */
    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
