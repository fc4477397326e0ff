package io.easynet.boot.unix;

/**
 * Tunes a managed server before it is created, as Spring Boot's {@code WebServerFactoryCustomizer} does for web
 * servers: declare beans of this type to change options, wrap the handler or add listeners. Customizers run in
 * {@link org.springframework.core.Ordered order}, once per server, after the configuration properties are applied.
 */
@FunctionalInterface
public interface UnixStreamServerCustomizer {

    /**
     * Customizes the factory of one server; {@link UnixStreamServerFactory#getName()} tells which.
     *
     * @param factory the factory to customize
     */
    void customize(UnixStreamServerFactory<?, ?> factory);
}
