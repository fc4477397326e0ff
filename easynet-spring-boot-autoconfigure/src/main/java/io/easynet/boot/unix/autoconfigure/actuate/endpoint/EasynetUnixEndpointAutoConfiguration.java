package io.easynet.boot.unix.autoconfigure.actuate.endpoint;

import io.easynet.boot.unix.UnixStreamServerMonitors;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.actuate.endpoint.EasynetEndpoint;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code easynet} actuator endpoint, and the {@link UnixStreamServerMonitors} that keep each
 * server's clients for it, when the actuator is present and the endpoint is available (its access is not
 * {@code none}, and it is exposed over HTTP or JMX). Monitors are added only then, so an application without the
 * endpoint pays nothing for them.
 */
@AutoConfiguration(after = EasynetUnixAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(UnixStreamServers.class)
@ConditionalOnAvailableEndpoint(EasynetEndpoint.class)
public final class EasynetUnixEndpointAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixEndpointAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    UnixStreamServerMonitors unixStreamServerMonitors() {
        return new UnixStreamServerMonitors();
    }

    @Bean
    @ConditionalOnMissingBean
    EasynetEndpoint easynetEndpoint(UnixStreamServers servers, UnixStreamServerMonitors monitors) {
        return new EasynetEndpoint(servers, monitors);
    }
}
