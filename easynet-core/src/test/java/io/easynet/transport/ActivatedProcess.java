package io.easynet.transport;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Starts a child JVM the way systemd starts a socket-activated service: with a listening socket as descriptor 3, and
 * {@code LISTEN_FDS} and {@code LISTEN_PID} naming it. Java can only hand a child its standard streams, so the
 * socket goes in as standard input and a shell moves it to descriptor 3 before it becomes the JVM (exec keeps the
 * pid that {@code LISTEN_PID} names). The child's output and errors are merged.
 */
public final class ActivatedProcess {

    private ActivatedProcess() {
    }

    /** Runs {@code mainClass} with {@code args} in a child JVM on this test's class path, passing it {@code socket}. */
    public static Process start(AFUNIXServerSocketChannel socket, Class<?> mainClass, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "exec 3<&0 0</dev/null; export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$@\"", "sh", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectInput(FileDescriptorCast.using(socket.getFileDescriptor()).as(Redirect.class))
                .redirectErrorStream(true)
                .start();
    }
}
