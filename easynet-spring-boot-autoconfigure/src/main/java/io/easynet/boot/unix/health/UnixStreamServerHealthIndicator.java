package io.easynet.boot.unix.health;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.easynet.boot.unix.ManagedUnixStreamServer;
import io.easynet.server.AcceptFailure;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.SocketFileState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * The health of one managed server: {@code UP} while it is listening and the file at its path is still the socket
 * it bound, so that new clients reach it; {@code DOWN} otherwise, with a {@code reason}. A socket file deleted or
 * replaced behind the server's back (a clean-up job, say) leaves a process that looks alive and a server that
 * still serves its connected clients while every new client fails, hence the check of the file's inode.
 *
 * <p>Details: {@code path}, {@code activeConnections} and {@code uptime} (an ISO-8601 duration in whole seconds,
 * such as {@code PT1H2M3S}) while the server runs. Each check reads the socket file's attributes once. A server in
 * the abstract namespace has no file: it is {@code UP} while it listens, with detail {@code abstractNamespace}.
 *
 * <p>A server whose accepts fail ({@link AsyncUnixStreamServer#acceptFailure()}) is {@code DOWN} too, with details
 * {@code acceptFailure} (the cause), {@code failedAccepts} and {@code failingSince}: for good if its accept loop
 * ended, or while accepts fail and are retried, most often because the process is out of file descriptors; it comes
 * back {@code UP} with the first accept that succeeds.
 */
public final class UnixStreamServerHealthIndicator extends AbstractHealthIndicator {

    /** The reason given while no core server runs: not started yet, or stopped. */
    public static final String NOT_RUNNING = "the server is not running";

    /** The reason given while the core server exists but no longer accepts: it is stopping. */
    public static final String NOT_LISTENING = "the server's listener is closed: it no longer accepts clients";

    /** The reason given when the accept loop ended while the server was serving, without a stop. */
    public static final String ACCEPT_LOOP_ENDED = "the server stopped accepting clients: new clients are refused "
            + "until it is restarted";

    /** The reason given while accepts fail and are retried, most often for want of file descriptors. */
    public static final String ACCEPTS_FAILING = "accepting new clients fails (\"Too many open files\": the process "
            + "is out of file descriptors?): they wait in the backlog until an accept succeeds";

    /** The reason given when the socket file is gone. */
    public static final String SOCKET_FILE_MISSING = "the socket file was deleted: new clients cannot connect";

    /** The reason given when another file is at the path. */
    public static final String SOCKET_FILE_REPLACED = "the socket file was replaced by another file: new clients do "
            + "not reach this server";

    private final ManagedUnixStreamServer<?, ?> server;

    private final Clock clock;

    /**
     * Checks {@code server}, measuring its uptime with the system clock.
     *
     * @param server the server to report on
     */
    public UnixStreamServerHealthIndicator(ManagedUnixStreamServer<?, ?> server) {
        this(server, Clock.systemUTC());
    }

    /**
     * Checks {@code server}, measuring its uptime with {@code clock}.
     *
     * @param server the server to report on
     * @param clock the clock the uptime is measured with
     */
    public UnixStreamServerHealthIndicator(ManagedUnixStreamServer<?, ?> server, Clock clock) {
        super("Health check of Unix stream server failed");
        Assert.notNull(server, "'server' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        this.server = server;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("path", server.getPath().toString());
        Optional<? extends AsyncUnixStreamServer<?, ?>> running = server.getServer();
        if (running.isEmpty()) {
            builder.down().withDetail("reason", NOT_RUNNING);
            return;
        }
        AsyncUnixStreamServer<?, ?> current = running.get();
        builder.withDetail("activeConnections", current.clients().size());
        current.startedAt().ifPresent(startedAt -> builder.withDetail("uptime",
                Duration.between(startedAt, clock.instant()).truncatedTo(ChronoUnit.SECONDS).toString()));
        Optional<AcceptFailure> failure = current.acceptFailure();
        if (failure.isPresent()) {
            down(builder, failure.get());
            return;
        }
        SocketFileState state = current.socketFileState();
        switch (state) {
            case INTACT -> builder.up();
            case ABSTRACT -> builder.up().withDetail("abstractNamespace", true);
            case MISSING -> builder.down().withDetail("reason", SOCKET_FILE_MISSING);
            case REPLACED -> builder.down().withDetail("reason", SOCKET_FILE_REPLACED);
            case NOT_LISTENING -> builder.down().withDetail("reason", NOT_LISTENING);
        }
    }

    /** Reports {@code failure}: {@code DOWN}, the reason, the cause, how many accepts failed and since when. */
    static void down(Health.Builder builder, AcceptFailure failure) {
        builder.down().withDetail("reason", failure.ended() ? ACCEPT_LOOP_ENDED : ACCEPTS_FAILING)
                .withDetail("acceptFailure", failure.cause()).withDetail("failedAccepts", failure.failures())
                .withDetail("failingSince", failure.since().toString());
    }
}
