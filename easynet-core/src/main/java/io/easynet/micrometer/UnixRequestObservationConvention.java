package io.easynet.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of {@code easynet.unix.request} observations; implement it (or extend
 * {@link DefaultUnixRequestObservationConvention}) to change them.
 */
public interface UnixRequestObservationConvention extends ObservationConvention<UnixRequestContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof UnixRequestContext;
    }
}
