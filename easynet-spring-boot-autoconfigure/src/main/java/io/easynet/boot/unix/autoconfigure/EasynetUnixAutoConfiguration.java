package io.easynet.boot.unix.autoconfigure;

import java.util.concurrent.ThreadFactory;

import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.boot.unix.handler.UnixStreamHandlerDiscoverer;
import io.easynet.boot.unix.scope.UnixClientBeanScope;
import io.easynet.scheduler.SchedulerWatchdog;
import io.easynet.server.AsyncUnixStreamServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Runs every {@code @UnixStreamHandler} of the application as a managed Unix stream server configured from
 * {@code easynet.unix.*}, and registers the {@value UnixClientBeanScope#NAME} bean scope.
 *
 * <p>Replaceable beans: {@link UnixStreamServers} itself, the {@code easynetClientThreadFactory} that makes
 * each client's thread (virtual threads by default), and the JVM-wide {@link SchedulerWatchdog}. JSON servers use the application's {@link JsonMapper} when
 * there is one.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(AsyncUnixStreamServer.class)
@EnableConfigurationProperties(EasynetUnixProperties.class)
public final class EasynetUnixAutoConfiguration {

    /** The name of the thread factory bean clients are served with. */
    public static final String CLIENT_THREAD_FACTORY_BEAN_NAME = "easynetClientThreadFactory";

    /** Creates the auto-configuration; Spring Boot does, when it applies. */
    public EasynetUnixAutoConfiguration() {
    }

    @Bean
    static CustomScopeConfigurer easynetUnixClientScope() {
        CustomScopeConfigurer configurer = new CustomScopeConfigurer();
        configurer.addScope(UnixClientBeanScope.NAME, new UnixClientBeanScope());
        return configurer;
    }

    @Bean
    static ShutdownPhaseTimeout easynetUnixShutdownPhaseTimeout(Environment environment) {
        return new ShutdownPhaseTimeout(environment);
    }

    @Bean(name = CLIENT_THREAD_FACTORY_BEAN_NAME)
    @ConditionalOnMissingBean(name = CLIENT_THREAD_FACTORY_BEAN_NAME)
    ThreadFactory easynetClientThreadFactory() {
        return Thread.ofVirtual().factory();
    }

    /**
     * The JVM-wide scheduler watchdog, shared by every server (and every application context of the JVM that asks
     * for the same settings); {@code easynet.unix.scheduler-watchdog.enabled=false} leaves it out.
     *
     * @param properties the settings
     * @return the watchdog, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "easynet.unix.scheduler-watchdog.enabled", matchIfMissing = true)
    SchedulerWatchdog easynetSchedulerWatchdog(EasynetUnixProperties properties) {
        return SchedulerWatchdog.acquire(properties.getSchedulerWatchdog().toOptions());
    }

    @Bean
    @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
    UnixStreamServers unixStreamServers(ConfigurableListableBeanFactory beanFactory, EasynetUnixProperties properties,
            Environment environment, ApplicationEventPublisher events, ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<UnixStreamServerCustomizer> customizers,
            @Qualifier(CLIENT_THREAD_FACTORY_BEAN_NAME) ThreadFactory clientThreadFactory) {
        var factories = new HandlerServerFactories(new UnixStreamHandlerDiscoverer(beanFactory), properties,
                new ServerSettingsResolver(properties, environment, clientThreadFactory),
                new ServerProtocols(beanFactory, jsonMapper.getIfUnique(JsonMapper::shared)),
                () -> customizers.orderedStream().toList());
        return new UnixStreamServers(factories,
                environment instanceof ConfigurableEnvironment configurable ? configurable : null, events);
    }
}
