package io.easynet.server;

import io.easynet.transport.BoundSocketFile;
import io.easynet.transport.UnixTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket file a server binds: the checks before bind, the mode after it, and the removal at stop of the file
 * this server created and no other.
 */
final class SocketFile {

    private static final Logger logger = LoggerFactory.getLogger(SocketFile.class);

    /** {@code sun_path} holds 108 bytes on Linux and 104 elsewhere, the terminating NUL included. */
    static final int MAX_PATH_BYTES = System.getProperty("os.name", "").startsWith("Linux") ? 107 : 103;

    private static final int FILE_TYPE_MASK = 0170000;

    private static final int SOCKET_TYPE = 0140000;

    /** How long a live server may take to accept our probe before we decide it is busy but alive. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final BoundSocketFile file;

    private SocketFile(BoundSocketFile file) {
        this.file = file;
    }

    /**
     * Checks that a server can bind at {@code path}, and removes a stale socket file there: one on which nobody
     * answers, left behind by a process that died.
     *
     * @throws IOException naming the path and what is wrong with it
     */
    static void prepare(Path path, UnixTransport transport) throws IOException {
        int length = path.toString().getBytes(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")))
                .length;
        if (length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is " + length + " bytes long; the platform limit is "
                    + MAX_PATH_BYTES + " bytes: use a shorter path or a relative one");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(path.toString(), null,
                    "the directory " + parent + " for the socket does not exist");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; refusing to replace it");
        }
        if (answers(path, transport)) {
            throw new BindException("a server is already listening on " + path);
        }
        Files.deleteIfExists(path);
        logger.warn("Replaced stale socket file {}: nobody was listening on it (left behind by a process that died?)",
                path);
    }

    /** Records which file the server just bound, so that only that file is removed at stop. */
    static SocketFile bound(Path path) throws IOException {
        return new SocketFile(BoundSocketFile.of(path));
    }

    /** Gives the socket file {@code mode}, if one is set. */
    void applyMode(@Nullable Set<PosixFilePermission> mode) throws IOException {
        if (mode != null) {
            Files.setPosixFilePermissions(file.path(), mode);
        }
    }

    /**
     * Whether the file at the path is still the socket this server bound, is gone, or is another file; reads the
     * file's attributes, so it is for health checks and not for hot paths.
     */
    SocketFileState state() {
        if (file.isOurs()) {
            return SocketFileState.INTACT;
        }
        return Files.exists(file.path(), LinkOption.NOFOLLOW_LINKS) ? SocketFileState.REPLACED
                : SocketFileState.MISSING;
    }

    /**
     * Removes the socket file if it is still the one this server bound, as EasyNetwork does: a file another
     * server put at the same path after ours was deleted is left alone.
     */
    void removeIfOurs() {
        Path path = file.path();
        try {
            if (!file.removeIfOurs() && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                logger.info("Left socket file {} in place: it was replaced since this server bound it", path);
            }
        } catch (IOException e) {
            logger.warn("Could not remove socket file {}", path, e);
        }
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & FILE_TYPE_MASK) == SOCKET_TYPE;
    }

    private static boolean answers(Path path, UnixTransport transport) throws IOException {
        try {
            transport.connect(path, null, PROBE_TIMEOUT).close();
            return true;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IOException("cannot tell whether a server listens on the existing socket file " + path
                    + ": " + e.getMessage(), e);
        }
    }
}
