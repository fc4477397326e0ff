package io.easynet.internal.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The socket file a socket was bound to, remembered by device and inode, so that it is removed when the socket
 * closes only if it is still the same file: one that another process put at the path since is left alone.
 */
public final class BoundSocketFile {

    private final Path path;

    private final Object identity;

    private BoundSocketFile(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    /**
     * Remembers the file a socket was just bound to at {@code path}.
     *
     * @param path the path of the socket file just bound
     * @return the bound file
     * @throws IOException if the file's attributes cannot be read
     */
    public static BoundSocketFile of(Path path) throws IOException {
        return new BoundSocketFile(path, identityOf(path));
    }

    /** {@return the path of the file} */
    public Path path() {
        return path;
    }

    /** {@return whether the file at the path is still the one that was bound} */
    public boolean isOurs() {
        try {
            return identity.equals(identityOf(path));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the file if it is still the one that was bound.
     *
     * @return whether it was removed
     * @throws IOException if the file cannot be removed
     */
    public boolean removeIfOurs() throws IOException {
        return isOurs() && Files.deleteIfExists(path);
    }

    private static Object identityOf(Path path) throws IOException {
        return Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    }
}
