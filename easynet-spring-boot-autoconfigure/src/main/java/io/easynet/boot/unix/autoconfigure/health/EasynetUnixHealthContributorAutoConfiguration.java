package io.easynet.boot.unix.autoconfigure.health;

import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.boot.unix.health.UnixStreamServersHealthContributor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code easynet} health contributor, one component per managed server, when Spring Boot's health
 * support is present; {@code management.health.easynet.enabled=false} turns it off.
 */
@AutoConfiguration(after = EasynetUnixAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(UnixStreamServers.class)
@ConditionalOnEnabledHealthIndicator("easynet")
public final class EasynetUnixHealthContributorAutoConfiguration {

    /** The bean's name, which Boot turns into the contributor name {@code easynet}. */
    public static final String BEAN_NAME = "easynetHealthContributor";

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixHealthContributorAutoConfiguration() {
    }

    @Bean(name = BEAN_NAME)
    @ConditionalOnMissingBean(name = BEAN_NAME)
    UnixStreamServersHealthContributor easynetHealthContributor(UnixStreamServers servers) {
        return new UnixStreamServersHealthContributor(servers);
    }
}
