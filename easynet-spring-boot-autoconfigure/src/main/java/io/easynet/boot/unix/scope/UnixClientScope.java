package io.easynet.boot.unix.scope;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.core.annotation.AliasFor;

/**
 * Puts a bean in the {@value UnixClientBeanScope#NAME} scope: one instance per client connection, created on
 * first use within the connection and destroyed when it ends. By default the bean is injected as a class-based
 * scoped proxy, so singletons such as handlers can hold it and reach the current client's instance.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Scope(UnixClientBeanScope.NAME)
public @interface UnixClientScope {

    /**
     * {@return how the bean is proxied where it is injected; {@link ScopedProxyMode#NO} injects the instance itself}
     */
    @AliasFor(annotation = Scope.class)
    ScopedProxyMode proxyMode() default ScopedProxyMode.TARGET_CLASS;
}
