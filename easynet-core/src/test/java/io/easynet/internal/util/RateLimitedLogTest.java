package io.easynet.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.easynet.server.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A repeated line is logged at its level once per window, with the count of those suppressed in between. */
class RateLimitedLogTest {

    private static final String LOGGER = RateLimitedLogTest.class.getName();

    private final AtomicLong nanos = new AtomicLong(1_000);

    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(LOGGER),
            org.slf4j.event.Level.WARN, Duration.ofSeconds(10), nanos::get);

    @Test
    void theFirstLineIsLoggedAtItsLevelAndTheRestOfTheWindowAtDebug() {
        try (var logs = LogCapture.of(LOGGER)) {
            for (int i = 0; i < 1_000; i++) {
                log.log("slow client " + i);
                nanos.addAndGet(Duration.ofMillis(5).toNanos());
            }
            assertThat(logs.messages(Level.WARN)).containsExactly("slow client 0");
            assertThat(logs.messages(Level.DEBUG)).hasSize(999).startsWith("slow client 1").endsWith("slow client 999");
        }
    }

    @Test
    void theFirstLineOfTheNextWindowSaysHowManyWereSuppressedAndSinceWhen() {
        try (var logs = LogCapture.of(LOGGER)) {
            for (int i = 0; i < 30; i++) {
                log.log("accept failed " + i);
                nanos.addAndGet(Duration.ofMillis(500).toNanos());
            }
            // 0 at 0 s, 20 at 10 s: 19 suppressed in between; 21 to 29 suppressed since
            assertThat(logs.messages(Level.WARN)).containsExactly("accept failed 0",
                    "accept failed 20 (19 similar messages suppressed in the last 10 s)");
            nanos.addAndGet(Duration.ofSeconds(60).toNanos());
            log.log("accept failed 30");
            assertThat(logs.messages(Level.WARN)).last()
                    .isEqualTo("accept failed 30 (9 similar messages suppressed in the last 65 s)");
        }
    }

    @Test
    void theExceptionGoesWithDebugLinesOnlySoThatTheLineAtItsLevelIsOneLine() {
        try (var logs = LogCapture.of(LOGGER)) {
            log.log("accept failed", new IOException("Too many open files"));
            log.log("accept failed again", new IOException("Too many open files"));
            assertThat(logs.messages(Level.WARN)).containsExactly("accept failed");
            assertThat(logs.messages(Level.DEBUG)).containsExactly(
                    "The cause of: accept failed | java.io.IOException: Too many open files",
                    "accept failed again | java.io.IOException: Too many open files");
        }
    }

    @Test
    void aFirstThenDebugLogWritesItsFirstLineAtItsLevelAndEveryLaterOneAtDebug() {
        RateLimitedLog once = RateLimitedLog.firstThenDebug(LoggerFactory.getLogger(LOGGER),
                org.slf4j.event.Level.WARN);
        try (var logs = LogCapture.of(LOGGER)) {
            for (int i = 0; i < 3; i++) {
                once.log("client#1 sent 1 file descriptor(s) with packet " + i + "; closed them");
            }
            assertThat(logs.messages(Level.WARN))
                    .containsExactly("client#1 sent 1 file descriptor(s) with packet 0; closed them");
            assertThat(logs.messages(Level.DEBUG)).containsExactly(
                    "client#1 sent 1 file descriptor(s) with packet 1; closed them",
                    "client#1 sent 1 file descriptor(s) with packet 2; closed them");
        }
    }
}
