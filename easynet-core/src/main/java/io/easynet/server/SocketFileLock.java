package io.easynet.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive lock that makes a starting server the only one checking, replacing and binding the socket file at its
 * path: a lock on the sibling file {@code <socket>.lock}, taken before the stale-file check and released (the file
 * removed) once the socket listens, when a server starting next finds it alive. Probing a stale socket, removing it
 * and binding are separate steps; without the lock, two servers starting at once could both find the file stale, and
 * the later one delete the earlier one's fresh socket and bind its own, leaving the earlier one serving on a file
 * nobody can reach.
 *
 * <p>The lock is the kernel's record lock ({@link FileChannel#tryLock()}), released when the process dies, so a
 * lock file left by a crash never blocks a later start. Such locks belong to the process and vanish when any of its
 * descriptors on the file is closed: the servers of this JVM therefore meet in a table first, and only one of them
 * ever opens a given lock file. The file is removed while still locked; a server that opened it just before and
 * locks it just after finds that the path no longer names the file it locked, and starts over.
 */
final class SocketFileLock implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SocketFileLock.class);

    /** The lock files held by servers of this JVM, by real path. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private static final int ATTEMPTS = 10;

    private final Path file;

    private final Path key;

    private final FileChannel channel;

    private final Object identity;

    private SocketFileLock(Path file, Path key, FileChannel channel, Object identity) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.identity = identity;
    }

    /** {@return the lock file for the socket at {@code socketPath}} */
    static Path fileFor(Path socketPath) {
        return socketPath.resolveSibling(socketPath.getFileName() + ".lock");
    }

    /**
     * Takes the lock for the socket at {@code socketPath}, whose directory exists, creating the lock file
     * ({@code 0600}) if needed.
     *
     * @return the lock, or {@code null} if another server, in this process or another, holds it
     * @throws IOException naming the lock file if it cannot be created, opened or locked
     */
    static @Nullable SocketFileLock tryAcquire(Path socketPath) throws IOException {
        Path file = fileFor(socketPath);
        Path key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        if (!HELD.add(key)) {
            return null;
        }
        try {
            SocketFileLock lock = lock(file, key);
            if (lock == null) {
                HELD.remove(key);
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static @Nullable SocketFileLock lock(Path file, Path key) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object before = identityOf(file);
            if (before == null) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    // created by another server meanwhile: lock that one
                }
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot lock " + file + " for the socket next to it: it is not a regular file; "
                        + "remove it");
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue;
            }
            try {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    return null;
                }
                // Still the file at the path? If its holder removed it between our open and our lock, we locked a
                // file nobody else will ever look at.
                if (before.equals(identityOf(file))) {
                    return new SocketFileLock(file, key, channel, before);
                }
                channel.close();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        throw new IOException("cannot lock " + file + " for the socket next to it: it was replaced " + ATTEMPTS
                + " times while this server tried");
    }

    private static @Nullable Object identityOf(Path file) throws IOException {
        try {
            return Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Removes the lock file, then releases the lock: in that order, so that nobody locks a file about to vanish. */
    @Override
    public void close() {
        try {
            if (identity.equals(identityOf(file))) {
                Files.delete(file);
            }
        } catch (IOException e) {
            logger.warn("Could not remove the lock file {}", file, e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            logger.warn("Could not release the lock file {}", file, e);
        } finally {
            HELD.remove(key);
        }
    }
}
