package io.easynet.serializer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The binary format of one record component for {@link StructSerializer}, in the notation of Python's
 * {@code struct} module: one character such as {@code "I"} or {@code "d"}, or {@code "8s"} for 8 bytes of text.
 * The value of EasyNetwork's {@code NamedTupleStructSerializer} field-format mapping for the same field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface StructField {

    /** {@return the format: one of {@code b B h H i I l L q Q e f d ? c}, or {@code [count]s}} */
    String value();
}
