package io.easynet.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default {@code easynet.unix.request} convention: low-cardinality {@code server}, high-cardinality
 * {@code client.id}. A request during which the handler threw carries the error, which Micrometer's meter handler
 * adds as the {@code error} tag.
 */
public class DefaultUnixRequestObservationConvention implements UnixRequestObservationConvention {

    /** The observation's name. */
    public static final String NAME = "easynet.unix.request";

    /** A shared instance. */
    public static final DefaultUnixRequestObservationConvention INSTANCE =
            new DefaultUnixRequestObservationConvention();

    /** Creates the convention; subclasses override single key values, others use {@link #INSTANCE}. */
    public DefaultUnixRequestObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** {@code request <server>}: the span name a tracer shows. */
    @Override
    public String getContextualName(UnixRequestContext context) {
        return "request " + context.getServerName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(UnixRequestContext context) {
        return KeyValues.of("server", context.getServerName());
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(UnixRequestContext context) {
        return KeyValues.of("client.id", context.getClient().id());
    }
}
