package io.easynet.boot.unix.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A server setting and where it was given, so that a bad value is reported there: a property (Boot's failure
 * analysis then shows the property's origin) or an attribute of {@code @UnixStreamHandler}.
 *
 * @param source the property name, or the annotation attribute and the handler it is on
 * @param value the value
 * @param fromAnnotation whether {@code source} is an annotation attribute rather than a property
 */
record ConfiguredValue<T>(String source, T value, boolean fromAnnotation) {

    /** A value given by the property {@code name}. */
    static <T> ConfiguredValue<T> property(String name, T value) {
        return new ConfiguredValue<>(name, value, false);
    }

    /** A value given by {@code attribute} of the {@code @UnixStreamHandler} on {@code handlerSource}. */
    static <T> ConfiguredValue<T> annotation(String attribute, T value, String handlerSource) {
        return new ConfiguredValue<>("@UnixStreamHandler(" + attribute + " = \"" + value + "\") on " + handlerSource,
                value, true);
    }

    /** The exception that reports this value as invalid for {@code reason}. */
    RuntimeException invalid(String reason) {
        return fromAnnotation ? new IllegalStateException(source + " is invalid: " + reason)
                : new InvalidConfigurationPropertyValueException(source, value, reason);
    }
}
