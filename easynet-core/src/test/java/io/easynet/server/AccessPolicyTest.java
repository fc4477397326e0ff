package io.easynet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.transport.PeerCredentials;
import org.junit.jupiter.api.Test;

/** Who an access policy lets in; an allow-list never turns into "anyone". */
class AccessPolicyTest {

    private static final PeerCredentials STRANGER = new PeerCredentials(4321, 12345, 12345);

    @Test
    void emptyAllowListsAreRefusedRatherThanLettingEveryoneIn() {
        assertThatThrownBy(AccessPolicy::uids).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an access policy needs at least one of the uids it allows; use AccessPolicy.ANYONE to "
                        + "allow every peer");
        assertThatThrownBy(AccessPolicy::gids).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an access policy needs at least one of the gids it allows; use AccessPolicy.ANYONE to "
                        + "allow every peer");
    }

    @Test
    void aListedUidOrGidIsAllowedAndAnyoneElseRefused() {
        assertThat(AccessPolicy.uids(12345).allows(STRANGER)).isTrue();
        assertThat(AccessPolicy.gids(12345).allows(STRANGER)).isTrue();
        assertThat(AccessPolicy.uids(1000).allows(STRANGER)).isFalse();
        assertThat(AccessPolicy.gids(1000).allows(STRANGER)).isFalse();
        assertThat(AccessPolicy.ANYONE.allows(STRANGER)).isTrue();
        assertThat(AccessPolicy.uids(1000, 1001)).hasToString("uids [1000, 1001]");
    }
}
