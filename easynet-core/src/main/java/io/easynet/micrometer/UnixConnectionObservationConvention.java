package io.easynet.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of {@code easynet.unix.connection} observations; implement it (or extend
 * {@link DefaultUnixConnectionObservationConvention}) to change them.
 */
public interface UnixConnectionObservationConvention extends ObservationConvention<UnixConnectionContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof UnixConnectionContext;
    }
}
