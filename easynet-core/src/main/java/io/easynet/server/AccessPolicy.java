package io.easynet.server;

import com.sun.security.auth.module.UnixSystem;
import io.easynet.transport.PeerCredentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which peers may connect to a server, by the user and group ids the kernel recorded for the connecting process
 * ({@code SO_PEERCRED}). A peer is allowed when its uid is listed, or its gid is, or {@code sameUser} is set and it
 * runs as the server's own user; a peer refused is closed right after accept, before any handler code runs.
 *
 * <p>The gid is the peer's effective group when it connected, not its supplementary groups: a user who is only a
 * supplementary member of a listed group is refused. Root is not allowed unless listed. Ids are the kernel's
 * unsigned 32-bit values held in an {@code int}, as in {@link PeerCredentials}.
 *
 * @param allowedUids the user ids allowed
 * @param allowedGids the group ids allowed
 * @param sameUser whether a peer running as the server's own user is allowed
 */
public record AccessPolicy(Set<Integer> allowedUids, Set<Integer> allowedGids, boolean sameUser) {

    /** Every peer may connect: no check, and the server needs no peer credentials for it. */
    public static final AccessPolicy ANYONE = new AccessPolicy(Set.of(), Set.of(), false);

    /** Copies the sets. */
    public AccessPolicy {
        allowedUids = Set.copyOf(Objects.requireNonNull(allowedUids, "allowedUids"));
        allowedGids = Set.copyOf(Objects.requireNonNull(allowedGids, "allowedGids"));
    }

    /**
     * Only peers running as the server's own user.
     *
     * @return the policy
     */
    public static AccessPolicy sameUserOnly() {
        return new AccessPolicy(Set.of(), Set.of(), true);
    }

    /**
     * Only peers running as one of these user ids.
     *
     * @param uids the user ids allowed
     * @return the policy
     * @throws IllegalArgumentException if no id is given: an empty allow-list must not read as "anyone"
     */
    public static AccessPolicy uids(int... uids) {
        return new AccessPolicy(boxed("uids", uids), Set.of(), false);
    }

    /**
     * Only peers whose effective group is one of these group ids.
     *
     * @param gids the group ids allowed
     * @return the policy
     * @throws IllegalArgumentException if no id is given: an empty allow-list must not read as "anyone"
     */
    public static AccessPolicy gids(int... gids) {
        return new AccessPolicy(Set.of(), boxed("gids", gids), false);
    }

    /** {@return whether this policy lets everyone in, so that the server checks nothing} */
    public boolean allowsAnyone() {
        return allowedUids.isEmpty() && allowedGids.isEmpty() && !sameUser;
    }

    /**
     * {@return whether the peer with these credentials may connect}
     *
     * @param peer the credentials the kernel recorded for the peer
     */
    public boolean allows(PeerCredentials peer) {
        Objects.requireNonNull(peer, "peer");
        return allowsAnyone() || allowedUids.contains(peer.uid()) || allowedGids.contains(peer.gid())
                || sameUser && peer.uid() == ServerUser.UID;
    }

    /** Who may connect, for logs: {@code uids [1000, 1001] or gids [100] or the server's user (uid 0)}. */
    @Override
    public String toString() {
        if (allowsAnyone()) {
            return "anyone";
        }
        List<String> who = new ArrayList<>();
        if (!allowedUids.isEmpty()) {
            who.add("uids " + sorted(allowedUids));
        }
        if (!allowedGids.isEmpty()) {
            who.add("gids " + sorted(allowedGids));
        }
        if (sameUser) {
            who.add("the server's user (uid " + Integer.toUnsignedString(ServerUser.UID) + ")");
        }
        return String.join(" or ", who);
    }

    private static Set<Integer> boxed(String name, int[] ids) {
        if (Objects.requireNonNull(ids, name).length == 0) {
            throw new IllegalArgumentException("an access policy needs at least one of the " + name + " it allows; "
                    + "use AccessPolicy.ANYONE to allow every peer");
        }
        return Arrays.stream(ids).boxed().collect(Collectors.toSet());
    }

    private static String sorted(Set<Integer> ids) {
        return ids.stream().sorted(Integer::compareUnsigned).map(Integer::toUnsignedString)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The user this process runs as, read once when a policy first needs it. */
    private static final class ServerUser {

        static final int UID = (int) new UnixSystem().getUid();
    }
}
