package io.easynet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.easynet.server.SocketOptionsMatrix.Address;
import io.easynet.server.SocketOptionsMatrix.Combination;
import io.easynet.server.SocketOptionsMatrix.Mode;
import io.easynet.server.SocketOptionsMatrix.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server option that changes what happens at the socket, crossed with the umask: under each combination a
 * server starts, serves an echo, gives its file the mode and group it should (the umask's when no mode is set, on
 * both transports), refuses user {@code nobody} unless the mode lets everyone in, reports its socket file intact,
 * and leaves nothing behind when it stops. The umask is the process's, so one child JVM per umask runs all
 * combinations ({@link SocketOptionsMatrixChild}), both at once; each combination is then checked as its own case.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketOptionsMatrixTest {

    private static final List<String> UMASKS = List.of("022", "077");

    /** What each child printed, by umask and combination name. */
    private static final Map<String, Map<String, String>> SEEN = new HashMap<>();

    private static final List<Path> DIRECTORIES = new ArrayList<>();

    private static String group = "";

    private static String primaryGroup = "";

    @BeforeAll
    static void runEveryCombinationUnderEachUmask() throws Exception {
        assumeThat(Path.of("/usr/sbin/runuser")).as("runuser, to connect as nobody").exists();
        primaryGroup = run("id", "-gn");
        group = aGroupNobodyIsNotIn();
        Map<String, Process> children = new HashMap<>();
        for (String umask : UMASKS) {
            // nobody must be able to enter the directory, so that only the socket's own mode stands in the way
            Path dir = Files.createTempDirectory("easynet-matrix-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            DIRECTORIES.add(dir);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            children.put(umask, new ProcessBuilder("sh", "-c", "umask " + umask + "; exec \"$@\"", "sh", java,
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    SocketOptionsMatrixChild.class.getName(), dir.toString(), group)
                    .redirectErrorStream(true).start());
        }
        for (String umask : UMASKS) {
            Process child = children.get(umask);
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(100, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("the child at umask %s, which printed:%n%s", umask, output).isZero();
            Map<String, String> lines = new HashMap<>();
            output.lines().filter(line -> line.startsWith(SocketOptionsMatrixChild.PREFIX)).forEach(line -> {
                String[] parts = line.substring(SocketOptionsMatrixChild.PREFIX.length()).split(" ", 2);
                lines.put(parts[0], parts[1]);
            });
            SEEN.put(umask, lines);
        }
    }

    @AfterAll
    static void removeDirectories() throws IOException {
        for (Path dir : DIRECTORIES) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    static Stream<Arguments> combinations() {
        return UMASKS.stream().flatMap(umask -> SocketOptionsMatrix.combinations("group").stream()
                .map(combination -> Arguments.of(umask, combination.name(), combination)));
    }

    @ParameterizedTest(name = "umask {0}, {1}")
    @MethodSource("combinations")
    void startsServesHasItsModeAndHealthAndLeavesNothingBehind(String umask, String name, Combination combination) {
        assertThat(SEEN.get(umask).get(name)).isEqualTo(expected(umask, combination));
    }

    private static String expected(String umask, Combination combination) {
        String umaskMode = umask.equals("022") ? "rwxr-xr-x" : "rwx------";
        if (combination.address() == Address.ABSTRACT) {
            return "mode=- group=- state=ABSTRACT echo=echo nobody=- stopped=NOT_LISTENING left=[]";
        }
        if (combination.address() == Address.INHERITED) {
            // the file is systemd's: its mode is the one systemd gave, and it stays in place at stop
            return "mode=rw------- group=" + primaryGroup + " state=INTACT echo=echo "
                    + "nobody=refused:PermissionError stopped=NOT_LISTENING left=[s.sock]";
        }
        Mode mode = combination.mode();
        String permissions = mode.octal == null ? umaskMode : octalToString(mode.octal);
        String nobody = mode != Mode.EVERYONE ? "refused:PermissionError"
                : combination.transport() == Transport.ACCESS ? "connected:closed" : "connected:nobody";
        return "mode=" + permissions + " group=" + (mode == Mode.GROUP ? group : primaryGroup)
                + " state=INTACT echo=echo nobody=" + nobody + " stopped=NOT_LISTENING left=[]";
    }

    private static String octalToString(int octal) {
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (octal >> shift) & 7;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }

    /** A group this user may give files and {@code nobody} is not a member of. */
    private static String aGroupNobodyIsNotIn() throws IOException, InterruptedException {
        List<String> nobodys = List.of(run("id", "-Gn", "nobody").split(" "));
        List<String> mine = List.of(run("id", "-Gn").split(" "));
        boolean root = run("id", "-u").equals("0");
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String name = line.substring(0, line.indexOf(':'));
            if (!name.equals(primaryGroup) && !nobodys.contains(name) && (root || mine.contains(name))) {
                return name;
            }
        }
        assumeThat(false).as("a group other than %s that nobody is not in", primaryGroup).isTrue();
        return "";
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).isZero();
        return output;
    }
}
