package io.easynet.boot.unix.autoconfigure.metrics;

import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.micrometer.ServerObservationListener;
import io.easynet.micrometer.UnixConnectionObservationConvention;
import io.easynet.micrometer.UnixRequestObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observes every managed server's connections and requests ({@code easynet.unix.connection},
 * {@code easynet.unix.request}) in the application's {@link ObservationRegistry}, with the
 * {@link UnixConnectionObservationConvention} and {@link UnixRequestObservationConvention} beans if there are any.
 * Without an observation registry nothing is installed. A bean of the application's named
 * {@code easynetUnixObservationCustomizer} replaces the customizer that installs the observations.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class EasynetUnixObservationAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixObservationAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "easynetUnixObservationCustomizer")
    UnixStreamServerCustomizer easynetUnixObservationCustomizer(ObservationRegistry registry,
            ObjectProvider<UnixConnectionObservationConvention> connectionConvention,
            ObjectProvider<UnixRequestObservationConvention> requestConvention) {
        return factory -> factory.addListener(new ServerObservationListener(registry, factory.getName(),
                connectionConvention.getIfAvailable(), requestConvention.getIfAvailable()));
    }
}
