package io.easynet.micrometer;

import io.easynet.server.ServerListener.DisconnectReason;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/**
 * The default {@code easynet.unix.connection} convention: low-cardinality {@code server} and, once the connection
 * has ended, {@code reason} ({@code normal}, {@code error}, {@code timeout} or {@code shutdown}); high-cardinality
 * {@code client.id}.
 */
public class DefaultUnixConnectionObservationConvention implements UnixConnectionObservationConvention {

    /** The observation's name. */
    public static final String NAME = "easynet.unix.connection";

    /** A shared instance. */
    public static final DefaultUnixConnectionObservationConvention INSTANCE =
            new DefaultUnixConnectionObservationConvention();

    /** Creates the convention; subclasses override single key values, others use {@link #INSTANCE}. */
    public DefaultUnixConnectionObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** {@code connection <server>}: the span name a tracer shows. */
    @Override
    public String getContextualName(UnixConnectionContext context) {
        return "connection " + context.getServerName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(UnixConnectionContext context) {
        KeyValues keyValues = KeyValues.of("server", context.getServerName());
        DisconnectReason reason = context.getDisconnectReason();
        return reason == null ? keyValues : keyValues.and("reason", reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(UnixConnectionContext context) {
        return KeyValues.of("client.id", context.getClient().id());
    }
}
