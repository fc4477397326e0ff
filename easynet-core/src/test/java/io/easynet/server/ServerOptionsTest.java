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
    void slowClientLimitsAreOnByDefaultAndCanBeTurnedOff() {
        ServerOptions defaults = ServerOptions.defaults();
        assertThat(defaults.sendTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.minReceiveRate()).isEqualTo(new MinReceiveRate(1024, Duration.ofSeconds(10)));
        assertThat(defaults.maxQueuedSends()).isEqualTo(1024);

        ServerOptions off = ServerOptions.builder().sendTimeout(null).minReceiveRate(null).maxQueuedSends(0).build();
        assertThat(off.toBuilder().build()).isEqualTo(off);
        assertThat(off.sendTimeout()).isNull();
        assertThat(off.minReceiveRate()).isNull();
    }

    @Test
    void slowClientLimitsNameTheValueThatIsWrong() {
        assertThatThrownBy(() -> ServerOptions.builder().sendTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sendTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> ServerOptions.builder().maxQueuedSends(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedSends must not be negative, got -1");
        assertThatThrownBy(() -> new MinReceiveRate(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minReceiveRate bytesPerSecond must be positive, got 0");
        assertThatThrownBy(() -> new MinReceiveRate(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minReceiveRate grace must be positive, got PT0S");
    }

    @Test
    void minReceiveRateAllowsTheGracePlusTheTimeTheBytesNeedAtTheRate() {
        var rate = new MinReceiveRate(1000, Duration.ofSeconds(2));
        assertThat(rate.allowedNanos(0)).isEqualTo(2_000_000_000L);
        assertThat(rate.allowedNanos(500)).isEqualTo(2_500_000_000L);
        assertThat(new MinReceiveRate(1, Duration.ofDays(365 * 1000)).allowedNanos(Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE / 4);
    }

    @Test
    void clientThreadFactoryIsRequired() {
        assertThatThrownBy(() -> ServerOptions.builder().clientThreadFactory(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("clientThreadFactory");
    }
}
