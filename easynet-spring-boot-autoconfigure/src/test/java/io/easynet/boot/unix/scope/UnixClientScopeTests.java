package io.easynet.boot.unix.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.autoconfigure.EasynetUnixAutoConfiguration;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.ScopeNotActiveException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** The {@code unix-client} scope: one bean per connection, destroyed at disconnect, through a scoped proxy. */
@Timeout(30)
class UnixClientScopeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class))
            .withUserConfiguration(CounterConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void eachConnectionHasItsOwnBeanWhichIsDestroyedWhenItDisconnects() {
        runner.withPropertyValues("easynet.unix.servers.counter.path=" + dir.resolve("counter.sock"),
                "easynet.unix.servers.counter.serializer=line").run(context -> {
                    CounterConfiguration counters = context.getBean(CounterConfiguration.class);
                    try (var first = connect(); var second = connect()) {
                        assertThat(exchange(first, "2")).isEqualTo("2 client#1");
                        assertThat(exchange(second, "10")).isEqualTo("10 client#2");
                        assertThat(exchange(first, "3")).isEqualTo("5 client#1");
                        assertThat(counters.destroyed).isEmpty();
                    }
                    await().atMost(Duration.ofSeconds(5)).until(() -> counters.destroyed.size() == 2);
                    assertThat(counters.destroyed).containsExactlyInAnyOrder("client#1 at 5", "client#2 at 10");
                    try (var third = connect()) {
                        assertThat(exchange(third, "1")).isEqualTo("1 client#3");
                    }
                });
    }

    @Test
    void usingTheBeanOutsideAConnectionFailsWithAClearMessage() {
        runner.withPropertyValues("easynet.unix.servers.counter.path=" + dir.resolve("counter.sock"),
                "easynet.unix.servers.counter.serializer=line").run(context -> {
                    RunningTotal total = context.getBean(RunningTotal.class);
                    assertThatThrownBy(() -> total.add(1)).isInstanceOf(ScopeNotActiveException.class)
                            .rootCause().hasMessage("bean 'scopedTarget.runningTotal' is in the unix-client scope, "
                                    + "which exists only while a Unix stream server serves a client: use it from "
                                    + "handler code, and inject it into singletons through a scoped proxy "
                                    + "(@UnixClientScope does so by default)");
                });
    }

    @Test
    void aBeanUsedAfterTheConnectionsBeansWereDestroyedIsRefusedNotLeaked() {
        runner.withUserConfiguration(LateUseConfiguration.class)
                .withPropertyValues("easynet.unix.servers.counter.enabled=false",
                        "easynet.unix.servers.late.path=" + dir.resolve("late.sock"),
                        "easynet.unix.servers.late.serializer=line")
                .run(context -> {
                    LateUseConfiguration late = context.getBean(LateUseConfiguration.class);
                    try (var client = UnixStreamClient.connect(dir.resolve("late.sock"),
                            StreamProtocol.of(new LineSerializer()))) {
                        client.send("4");
                        assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("4");
                    }
                    await().atMost(Duration.ofSeconds(5)).until(() -> late.lateUse.size() == 1);
                    assertThat(late.lateUse).containsExactly("bean 'scopedTarget.runningTotal' of the unix-client "
                            + "scope was used after the connection of client#1 ended and its beans were destroyed");
                    assertThat(context.getBean(CounterConfiguration.class).destroyed).containsExactly("client#1 at 4");
                });
    }

    private UnixStreamClient<String, String> connect() throws java.io.IOException {
        return UnixStreamClient.connect(dir.resolve("counter.sock"), StreamProtocol.of(new LineSerializer()));
    }

    private static String exchange(UnixStreamClient<String, String> client, String line) throws Exception {
        client.send(line);
        return client.receive(Duration.ofSeconds(5));
    }

    /** A per-connection total that records its own destruction. */
    static class RunningTotal {

        private final List<String> destroyed;

        private long total;

        RunningTotal(List<String> destroyed) {
            this.destroyed = destroyed;
        }

        long add(long amount) {
            total += amount;
            return total;
        }

        void destroy() {
            destroyed.add(StreamClient.current().id() + " at " + total);
        }
    }

    /** A singleton handler holding the scoped bean through its proxy. */
    static class Counter {

        private final RunningTotal total;

        Counter(RunningTotal total) {
            this.total = total;
        }

        @UnixStreamHandler("counter")
        String add(String amount) {
            return total.add(Long.parseLong(amount)) + " " + StreamClient.current().id();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CounterConfiguration {

        final List<String> destroyed = new CopyOnWriteArrayList<>();

        @Bean(destroyMethod = "destroy")
        @UnixClientScope
        RunningTotal runningTotal() {
            return new RunningTotal(destroyed);
        }

        @Bean
        Counter counter(RunningTotal runningTotal) {
            return new Counter(runningTotal);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LateUseConfiguration {

        final List<String> lateUse = new CopyOnWriteArrayList<>();

        @Bean
        @UnixStreamHandler("late")
        StreamRequestHandler<String, String> late(RunningTotal total) {
            return new StreamRequestHandler<>() {
                @Override
                public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                    // registered before the scope's own callback, so it runs after the beans are destroyed
                    client.addCloseCallback(() -> {
                        try {
                            total.add(1);
                        } catch (RuntimeException e) {
                            lateUse.add(NestedExceptionUtils.getMostSpecificCause(e).getMessage());
                        }
                    });
                }

                @Override
                public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                    client.send(String.valueOf(total.add(Long.parseLong(requests.receive()))));
                }
            };
        }
    }
}
