package io.easynet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** The defaults and the checks of {@link ServerOptions}. */
class ServerOptionsTest {

    @Test
    void defaultsWaitForeverOnVirtualThreadsAndAreEqualEachTime() {
        ServerOptions defaults = ServerOptions.defaults();

        assertThat(defaults.receiveTimeout()).isNull();
        assertThat(defaults.idleTimeout()).isNull();
        assertThat(defaults.clientThreadFactory().newThread(() -> { }).isVirtual()).isTrue();
        assertThat(defaults).isEqualTo(ServerOptions.defaults());
    }

    @Test
    void toBuilderKeepsTheTimeoutsAndTheThreadFactory() {
        ThreadFactory factory = Thread.ofPlatform().factory();
        ServerOptions options = ServerOptions.builder().receiveTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofMinutes(1)).clientThreadFactory(factory).build();

        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.clientThreadFactory()).isSameAs(factory);
    }

    @Test
    void timeoutsMustBePositiveWhenSet() {
        assertThatThrownBy(() -> ServerOptions.builder().idleTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> ServerOptions.builder().receiveTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("receiveTimeout must be positive, got PT-1S");
    }

    @Test
    void clientThreadFactoryIsRequired() {
        assertThatThrownBy(() -> ServerOptions.builder().clientThreadFactory(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("clientThreadFactory");
    }
}
