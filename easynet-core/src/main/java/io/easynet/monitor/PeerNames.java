package io.easynet.monitor;

import io.easynet.transport.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;

/**
 * The user and group names of a peer known by its credentials, as the JDK's {@code SO_PEERCRED} gives them: Java
 * can name an id only through a file owned by it, and the peer process's {@code /proc} directory is owned by its
 * user and group. Used only while that directory still belongs to the ids the kernel recorded at connect (the
 * process may have exited, or be another one with the same pid); otherwise the ids are shown as numbers, as the JDK
 * shows an id that has no name.
 */
final class PeerNames {

    private PeerNames() {
    }

    /** {@return "user NAME, group NAME" for the peer} */
    static String userAndGroup(PeerCredentials peer) {
        String user = Integer.toUnsignedString(peer.uid());
        String group = Integer.toUnsignedString(peer.gid());
        Path process = Path.of("/proc", Long.toString(peer.pid()));
        try {
            Map<String, Object> ids = Files.readAttributes(process, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributes names = Files.readAttributes(process, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (ids.get("uid").equals(peer.uid()) && ids.get("gid").equals(peer.gid())) {
                user = names.owner().getName();
                group = names.group().getName();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no /proc, or the process is gone: the numbers it is
        }
        return "user " + user + ", group " + group;
    }
}
