package io.easynet.internal.transport;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Starts a child JVM the way systemd starts a socket-activated service: with listening sockets as descriptors 3
 * onwards, and {@code LISTEN_FDS} and {@code LISTEN_PID} naming them. Java can only hand a child its standard
 * streams, so the sockets go in as standard input (and output, for a second one) and a shell moves them to
 * descriptors 3 and 4 before it becomes the JVM (exec keeps the pid that {@code LISTEN_PID} names).
 */
public final class ActivatedProcess {

    private ActivatedProcess() {
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM on this test's class path, passing it {@code socket}.
     * The child's output and errors are merged into its input stream.
     */
    public static Process start(AFUNIXServerSocketChannel socket, Class<?> mainClass, String... args)
            throws IOException {
        return new ProcessBuilder(command("exec 3<&0 0</dev/null; export LISTEN_PID=$$ LISTEN_FDS=1", mainClass, args))
                .redirectInput(redirect(socket.getFileDescriptor()))
                .redirectErrorStream(true)
                .start();
    }

    /**
     * Runs {@code mainClass} like {@link #start}, passing it {@code third} as descriptor 3 and {@code fourth} as 4.
     * The second one takes the place of standard output, so the child's output comes on its error stream.
     */
    public static Process start(FileDescriptor third, FileDescriptor fourth, Class<?> mainClass, String... args)
            throws IOException {
        return new ProcessBuilder(command("exec 3<&0 4>&1 0</dev/null 1>&2; export LISTEN_PID=$$ LISTEN_FDS=2",
                mainClass, args))
                .redirectInput(redirect(third))
                .redirectOutput(redirect(fourth))
                .start();
    }

    /** The descriptor of an IPv4 TCP listener, found through {@code /proc}: the JDK does not expose it. */
    public static FileDescriptor descriptorOf(ServerSocketChannel tcp) throws IOException {
        String port = ":" + "%04X".formatted(((InetSocketAddress) tcp.getLocalAddress()).getPort());
        String socket = null;
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] fields = line.strip().split("\\s+");
            // sl, local address, remote address, state (0A is LISTEN), ..., inode
            if (fields[1].endsWith(port) && fields[3].equals("0A")) {
                socket = "socket:[" + fields[9] + "]";
            }
        }
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                if (Files.readSymbolicLink(descriptor).toString().equals(socket)) {
                    return FileDescriptorCast.unsafeUsing(Integer.parseInt(descriptor.getFileName().toString()))
                            .getFileDescriptor();
                }
            }
        }
        throw new IOException("no descriptor of this process is the TCP listener on " + tcp.getLocalAddress());
    }

    private static List<String> command(String moveDescriptors, Class<?> mainClass, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("sh", "-c", moveDescriptors + "; exec \"$@\"", "sh", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static Redirect redirect(FileDescriptor descriptor) throws IOException {
        return FileDescriptorCast.using(descriptor).as(Redirect.class);
    }
}
