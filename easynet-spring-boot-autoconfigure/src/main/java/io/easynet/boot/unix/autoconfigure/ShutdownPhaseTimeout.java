package io.easynet.boot.unix.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.ServerOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.env.Environment;

/**
 * Gives the servers' shutdown phase time for the longest configured grace period: Spring stops waiting for a
 * phase after {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s in Boot) and goes on destroying beans,
 * which handlers still draining may be using. The phase gets the larger of that timeout and the longest grace
 * period plus the core's forced-stop time and a margin for {@code serviceInit}'s background tasks.
 */
final class ShutdownPhaseTimeout implements BeanPostProcessor {

    /** Time for background tasks to end and resources to close once the clients are gone. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private static final Logger logger = LoggerFactory.getLogger(ShutdownPhaseTimeout.class);

    private static final Duration BOOT_DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private final Binder binder;

    ShutdownPhaseTimeout(Environment environment) {
        this.binder = Binder.get(environment);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DefaultLifecycleProcessor processor) {
            Duration timeout = timeout();
            logger.debug("Shutdown phase {} of the Unix stream servers may take {} ms", UnixStreamServers.PHASE,
                    timeout.toMillis());
            processor.setTimeoutForShutdownPhase(UnixStreamServers.PHASE, timeout.toMillis());
        }
        return bean;
    }

    /** The larger of the configured phase timeout and what the longest graceful stop may take. */
    Duration timeout() {
        EasynetUnixProperties properties = binder.bind("easynet.unix", EasynetUnixProperties.class)
                .orElseGet(EasynetUnixProperties::new);
        // What a server without settings of its own gets, then each configured server's merged value.
        Duration inherited = Objects.requireNonNullElse(properties.getDefaults().getShutdown().getGracePeriod(),
                ServerOptions.DEFAULT_SHUTDOWN_GRACE_PERIOD);
        Duration longestGrace = properties.getServers().keySet().stream()
                .map(name -> properties.setting(name, "shutdown.grace-period",
                        settings -> settings.getShutdown().getGracePeriod()))
                .map(grace -> grace != null ? grace.value() : ServerOptions.DEFAULT_SHUTDOWN_GRACE_PERIOD)
                .reduce(inherited, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        Duration needed = longestGrace.plus(AsyncUnixStreamServer.FORCED_STOP_TIMEOUT).plus(MARGIN);
        Duration configured = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(BOOT_DEFAULT_PHASE_TIMEOUT);
        return needed.compareTo(configured) > 0 ? needed : configured;
    }
}
