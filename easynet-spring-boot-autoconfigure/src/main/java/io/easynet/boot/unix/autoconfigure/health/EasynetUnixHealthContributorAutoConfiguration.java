package io.easynet.boot.unix.autoconfigure.health;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.health.SchedulerWatchdogHealthIndicator;
import io.easynet.boot.unix.health.UnixStreamServersHealthContributor;
import io.easynet.scheduler.SchedulerWatchdog;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code easynet} health contributor, one component per managed server, and the
 * {@code easynetScheduler} health indicator of the scheduler watchdog, when Spring Boot's health support is present;
 * {@code management.health.easynet.enabled=false} and {@code management.health.easynet-scheduler.enabled=false}
 * turn them off.
 */
@AutoConfiguration(after = EasynetUnixAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
public final class EasynetUnixHealthContributorAutoConfiguration {

    /** The bean's name, which Boot turns into the contributor name {@code easynet}. */
    public static final String BEAN_NAME = "easynetHealthContributor";

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixHealthContributorAutoConfiguration() {
    }

    /** The bean's name, which Boot turns into the contributor name {@code easynetScheduler}. */
    public static final String SCHEDULER_BEAN_NAME = "easynetSchedulerHealthIndicator";

    @Bean(name = BEAN_NAME)
    @ConditionalOnMissingBean(name = BEAN_NAME)
    @ConditionalOnBean(UnixStreamServers.class)
    @ConditionalOnEnabledHealthIndicator("easynet")
    UnixStreamServersHealthContributor easynetHealthContributor(UnixStreamServers servers) {
        return new UnixStreamServersHealthContributor(servers);
    }

    @Bean(name = SCHEDULER_BEAN_NAME)
    @ConditionalOnMissingBean(name = SCHEDULER_BEAN_NAME)
    @ConditionalOnBean(SchedulerWatchdog.class)
    @ConditionalOnEnabledHealthIndicator("easynet-scheduler")
    SchedulerWatchdogHealthIndicator easynetSchedulerHealthIndicator(SchedulerWatchdog watchdog) {
        return new SchedulerWatchdogHealthIndicator(watchdog);
    }
}
