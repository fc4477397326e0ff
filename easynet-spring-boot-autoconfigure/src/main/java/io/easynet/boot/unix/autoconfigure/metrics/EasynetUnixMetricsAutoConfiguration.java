package io.easynet.boot.unix.autoconfigure.metrics;

import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties;
import io.easynet.micrometer.SchedulerWatchdogMetrics;
import io.easynet.micrometer.ServerMetricsListener;
import io.easynet.scheduler.SchedulerWatchdog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Records every managed server's {@code easynet.unix.*} meters, tagged {@code server=<name>}, in the application's
 * {@link MeterRegistry}, with per-client meters as {@code easynet.unix.servers.<name>.metrics.*} (or the defaults)
 * say, and the scheduler watchdog's {@code easynet.unix.scheduler.*} meters when it runs. Without a meter registry
 * nothing is installed. A bean of the application's named {@code easynetUnixMetricsCustomizer} replaces the
 * customizer that installs the meters.
 */
@AutoConfiguration(after = EasynetUnixAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(EasynetUnixProperties.class)
public final class EasynetUnixMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "easynetUnixMetricsCustomizer")
    UnixStreamServerCustomizer easynetUnixMetricsCustomizer(MeterRegistry registry,
            EasynetUnixProperties properties) {
        return factory -> factory.addListener(new ServerMetricsListener(registry,
                Tags.of("server", factory.getName()), properties.determinePerClientMetrics(factory.getName())));
    }

    @Bean
    @ConditionalOnBean(SchedulerWatchdog.class)
    @ConditionalOnMissingBean
    SchedulerWatchdogMetrics easynetSchedulerWatchdogMetrics(SchedulerWatchdog watchdog) {
        return new SchedulerWatchdogMetrics(watchdog);
    }
}
