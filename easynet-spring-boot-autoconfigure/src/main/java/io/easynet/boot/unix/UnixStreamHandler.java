package io.easynet.boot.unix;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean to serve a named Unix stream server, configured under {@code easynet.unix.servers.<name>}.
 *
 * <p>On a bean (a {@code @Component} class or a {@code @Bean} method) that implements
 * {@link io.easynet.server.StreamRequestHandler}, the bean is the server's handler and its generic types are the
 * request and response types. On a method of a bean, {@code Resp method(Req request)} with an optional
 * {@link io.easynet.server.StreamClient} parameter, each request received is passed to the method and what it
 * returns is sent back; a {@code void} method sends nothing.
 *
 * <p>The annotation does not make a class a bean: add {@code @Component} or declare it with {@code @Bean}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UnixStreamHandler {

    /**
     * Alias for {@link #name()}.
     *
     * @return the server's name
     */
    @AliasFor("name")
    String value() default "";

    /**
     * {@return the server's name: the key of its settings under {@code easynet.unix.servers}; unique in the context}
     */
    @AliasFor("value")
    String name() default "";

    /**
     * {@return the socket path, {@code ${...}} placeholders allowed, for applications that need no configuration file;
     * {@code easynet.unix.servers.<name>.path} overrides it}
     */
    String path() default "";

    /**
     * {@return the serializer ({@code json}, {@code line}, {@code length-prefixed}, {@code raw} or a bean name); {@code
     * easynet.unix.servers.<name>.serializer} overrides it} Empty means the configured default, JSON.
     */
    String serializer() default "";
}
