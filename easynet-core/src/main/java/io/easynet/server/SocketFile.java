package io.easynet.server;

import io.easynet.internal.transport.BoundSocketFile;
import io.easynet.internal.transport.UnixListener;
import io.easynet.internal.transport.UnixTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket file a server binds: the checks before bind, the mode and group given before the file appears at its
 * path, and the removal at stop of the file this server created and no other.
 */
final class SocketFile {

    private static final Logger logger = LoggerFactory.getLogger(SocketFile.class);

    /** {@code sun_path} holds 108 bytes on Linux and 104 elsewhere, the terminating NUL included. */
    static final int MAX_PATH_BYTES = System.getProperty("os.name", "").startsWith("Linux") ? 107 : 103;

    private static final int FILE_TYPE_MASK = 0170000;

    private static final int SOCKET_TYPE = 0140000;

    /** How long a live server may take to accept our probe before we decide it is busy but alive. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BoundSocketFile file;

    private SocketFile(BoundSocketFile file) {
        this.file = file;
    }

    /**
     * Binds a socket file at {@code path} and listens on it, as the only server doing so: holds the path's
     * {@link SocketFileLock} while it checks the path, replaces a stale socket file there (one on which nobody
     * answers, left behind by a process that died), and binds with {@link #listen}. Once the socket listens, a server
     * starting next finds it alive, so the lock is released.
     *
     * @throws IOException naming the path and what is wrong with it, or the lock file another starting server holds
     */
    static Listening bind(Path path, UnixTransport transport, int backlog, @Nullable Set<PosixFilePermission> mode,
            @Nullable String group) throws IOException {
        checkPath(path);
        SocketFileLock lock = SocketFileLock.tryAcquire(path);
        if (lock == null) {
            if (answersNow(path, transport)) {
                throw new BindException("a server is already listening on " + path);
            }
            throw new BindException("another server is starting on " + path + ": it holds the lock file "
                    + SocketFileLock.fileFor(path));
        }
        try (lock) {
            replaceStale(path, transport);
            UnixListener listener = listen(path, transport, backlog, mode, group);
            try {
                return new Listening(listener, new SocketFile(BoundSocketFile.of(path)));
            } catch (IOException | RuntimeException e) {
                try {
                    listener.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
    }

    /** A listening socket and the file it is bound to. */
    record Listening(UnixListener listener, SocketFile file) {
    }

    private static void checkPath(Path path) throws IOException {
        int length = lengthOf(path);
        if (length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is " + length + " bytes long; the platform limit is "
                    + MAX_PATH_BYTES + " bytes: use a shorter path or a relative one");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(path.toString(), null,
                    "the directory " + parent + " for the socket does not exist");
        }
    }

    /** Removes a socket file at {@code path} on which nobody answers; refuses any other file. */
    private static void replaceStale(Path path, UnixTransport transport) throws IOException {
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

    /** Records the file of a socket the server did not bind (one systemd passed), so that its state can be read. */
    static SocketFile bound(Path path) throws IOException {
        return new SocketFile(BoundSocketFile.of(path));
    }

    /**
     * Binds a socket file at {@code path} and listens on it, with {@code mode} or else the mode the umask gives, on
     * every transport. The socket is bound in a private directory ({@code 0700}) next to {@code path}, given its
     * mode and group there, and then linked into place, so that the file never appears at its path with other
     * permissions: junixsocket's bind makes the file {@code rw-rw-rw-} whatever the umask, and a chmod after binding
     * in place would leave a window in which any client could connect. Linking, unlike renaming, fails rather than
     * replace a file that appeared at the path in the meantime.
     *
     * @throws IOException naming the path if the bind fails, the group does not exist or the process may not give
     *     it, or a file appeared at the path while binding
     */
    static UnixListener listen(Path path, UnixTransport transport, int backlog,
            @Nullable Set<PosixFilePermission> mode, @Nullable String group) throws IOException {
        Path directory = createPrivateDirectory(path);
        Path bound = directory.resolve("s");
        try {
            int length = lengthOf(bound);
            if (length > MAX_PATH_BYTES) {
                throw new IOException("socket path " + path + " is too long: the socket is bound in a private "
                        + "directory next to it first, to give it its mode before it appears (" + bound + ", " + length
                        + " bytes), and the platform limit is " + MAX_PATH_BYTES + " bytes; use a shorter path");
            }
            Set<PosixFilePermission> permissions = mode != null ? mode : umaskMode(directory);
            UnixListener listener = transport.listen(bound, backlog);
            try {
                if (group != null) {
                    applyGroup(bound, group, path);
                }
                Files.setPosixFilePermissions(bound, permissions);
                Files.createLink(path, bound);
                return listener;
            } catch (IOException | RuntimeException e) {
                try {
                    listener.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                if (e instanceof FileAlreadyExistsException) {
                    throw new BindException("a file appeared at " + path + " while the server was binding; left it "
                            + "in place");
                }
                throw e;
            }
        } finally {
            try {
                Files.deleteIfExists(bound);
                Files.delete(directory);
            } catch (IOException e) {
                logger.warn("Could not remove the private directory {} the socket {} was bound in", directory, path, e);
            }
        }
    }

    /**
     * The mode {@code bind(2)} gives a socket file under this process's umask: {@code 0777} less the umask, as for a
     * directory, which Java can create with a mode while it cannot read the umask. Made inside the private
     * directory, where nobody else can see it.
     */
    private static Set<PosixFilePermission> umaskMode(Path privateDirectory) throws IOException {
        Path probe = privateDirectory.resolve("m");
        Files.createDirectory(probe, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxrwxrwx")));
        try {
            return Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(probe);
        }
    }

    /** Makes a directory only this user can enter, next to {@code path} and with a name as short as is safe. */
    private static Path createPrivateDirectory(Path path) throws IOException {
        Path parent = path.getParent();
        FileAttribute<Set<PosixFilePermission>> privateMode = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; ; attempt++) {
            String name = "." + Long.toString(RANDOM.nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
            try {
                return Files.createDirectory(parent == null ? Path.of(name) : parent.resolve(name), privateMode);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    private static void applyGroup(Path bound, String group, Path path) throws IOException {
        GroupPrincipal principal;
        try {
            principal = bound.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("cannot give the socket file " + path + " the group " + group + ": no such group", e);
        }
        try {
            Files.getFileAttributeView(bound, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(principal);
        } catch (FileSystemException e) {
            throw new IOException("cannot give the socket file " + path + " the group " + group + ": " + e.getReason()
                    + " (the process must be a member of the group)", e);
        }
    }

    private static int lengthOf(Path path) {
        return path.toString().getBytes(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))).length;
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

    /** Whether a server answers at {@code path} now, for the message when another server holds the lock. */
    private static boolean answersNow(Path path, UnixTransport transport) {
        try {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && isSocket(path) && answers(path, transport);
        } catch (IOException e) {
            return false;
        }
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
