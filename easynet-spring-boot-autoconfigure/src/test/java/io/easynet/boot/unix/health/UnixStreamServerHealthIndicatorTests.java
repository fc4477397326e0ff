package io.easynet.boot.unix.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.easynet.server.AcceptFailure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * How an accept failure reads in health; a failing accept is provoked through real sockets, in a child JVM out of
 * descriptors, by easynet-core's {@code FdExhaustionTest}.
 */
class UnixStreamServerHealthIndicatorTests {

    @Test
    void failingAcceptsAreDownWithTheCauseTheCountAndSinceWhen() {
        Health.Builder builder = Health.unknown();
        UnixStreamServerHealthIndicator.down(builder, new AcceptFailure(false,
                "java.io.IOException: Too many open files", Instant.parse("2026-12-04T18:00:00Z"), 42));
        Health health = builder.build();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).isEqualTo(Map.of("reason", UnixStreamServerHealthIndicator.ACCEPTS_FAILING,
                "acceptFailure", "java.io.IOException: Too many open files", "failedAccepts", 42L,
                "failingSince", "2026-12-04T18:00:00Z"));
    }
}
