package io.easynet.boot.unix;

import java.util.List;

/**
 * Two handlers claim the same server name, or two servers the same socket path: the application cannot start,
 * since one of them would not be served.
 */
public class UnixStreamServerConflictException extends RuntimeException {

    /** What is claimed twice. */
    private final String conflict;

    /** Who claims it. */
    private final List<String> claimants;

    /**
     * Creates the exception.
     *
     * @param conflict what is claimed twice, such as {@code server name 'echo'} or {@code socket path /run/a.sock}
     * @param claimants who claims it, such as bean names or server names
     */
    public UnixStreamServerConflictException(String conflict, List<String> claimants) {
        super(conflict + " is claimed by " + String.join(" and ", claimants));
        this.conflict = conflict;
        this.claimants = List.copyOf(claimants);
    }

    /** {@return what is claimed twice} */
    public String getConflict() {
        return conflict;
    }

    /** {@return who claims it} */
    public List<String> getClaimants() {
        return claimants;
    }
}
