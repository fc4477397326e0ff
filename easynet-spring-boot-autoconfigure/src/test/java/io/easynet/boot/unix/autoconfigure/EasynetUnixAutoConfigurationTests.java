package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.easynet.boot.unix.ManagedUnixStreamServer;
import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.Newline;
import io.easynet.server.ServerListener;
import io.easynet.server.MinReceiveRate;
import io.easynet.server.ServerOptions;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Discovery, property binding and the beans a user may replace, checked over real sockets. */
@Timeout(30)
class EasynetUnixAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void handlerBeanIsServedAsJsonOnTheConfiguredPath() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                .run(context -> {
                    assertThat(context.getBean(UnixStreamServers.class).isRunning()).isTrue();
                    assertThat(LineClient.exchange(dir.resolve("echo.sock"), "{\"a\": [1, \"\\u00e9\"]}"))
                            .isEqualTo("{\"a\":[1,\"\\u00e9\"]}");
                });
    }

    @Test
    void annotationPathResolvesPlaceholdersAndPropertyPathOverridesIt() {
        runner.withUserConfiguration(TestHandlers.EchoWithAnnotatedPathConfiguration.class)
                .withPropertyValues("test.dir=" + dir)
                .run(context -> assertThat(LineClient.exchange(dir.resolve("from-annotation.sock"), "1"))
                        .isEqualTo("1"));
        runner.withUserConfiguration(TestHandlers.EchoWithAnnotatedPathConfiguration.class)
                .withPropertyValues("test.dir=" + dir, "easynet.unix.servers.echo.path=" + dir.resolve("property.sock"))
                .run(context -> {
                    assertThat(dir.resolve("from-annotation.sock")).doesNotExist();
                    assertThat(LineClient.exchange(dir.resolve("property.sock"), "2")).isEqualTo("2");
                });
    }

    @Test
    void methodHandlersBindRecordsGenericTypesAndTheClientAndVoidMethodsSendNothing() {
        runner.withUserConfiguration(TestHandlers.MethodsConfiguration.class)
                .withPropertyValues("easynet.unix.servers.double.path=" + dir.resolve("double.sock"),
                        "easynet.unix.servers.whoami.path=" + dir.resolve("whoami.sock"),
                        "easynet.unix.servers.whoami.serializer=line",
                        "easynet.unix.servers.note.path=" + dir.resolve("note.sock"))
                .run(context -> {
                    assertThat(LineClient.exchange(dir.resolve("double.sock"), "{\"add\": 21}"))
                            .isEqualTo("{\"runningTotal\":42}");
                    assertThat(LineClient.exchange(dir.resolve("whoami.sock"), "hello")).isEqualTo("hello client#1");
                    TestHandlers.Methods methods = context.getBean(TestHandlers.Methods.class);
                    try (LineClient client = LineClient.connect(dir.resolve("note.sock"))) {
                        client.send("[1, 2]");
                        client.send("[3]");
                        await().atMost(Duration.ofSeconds(5))
                                .until(() -> methods.notes.size() == 2);
                    }
                    assertThat(methods.notes).containsExactly("[1, 2]", "[3]");
                });
    }

    @Test
    void builtInSerializersFrameAsTheirNamesSay() {
        runner.withUserConfiguration(BytesAndTextConfiguration.class)
                .withPropertyValues("easynet.unix.servers.text.path=" + dir.resolve("text.sock"),
                        "easynet.unix.servers.text.serializer=line",
                        "easynet.unix.servers.bytes.path=" + dir.resolve("bytes.sock"),
                        "easynet.unix.servers.bytes.serializer=length-prefixed")
                .run(context -> {
                    assertThat(LineClient.exchange(dir.resolve("text.sock"), "abc")).isEqualTo("ABC");
                    UnixStreamServers servers = context.getBean(UnixStreamServers.class);
                    try (var client = servers.<byte[], byte[]>connect("bytes")) {
                        client.send(new byte[] { 1, 2, 3 });
                        assertThat(client.receive(Duration.ofSeconds(5))).containsExactly(3, 2, 1);
                    }
                });
    }

    @Test
    void serializerBeanNamedInThePropertiesIsUsed() {
        runner.withUserConfiguration(BytesAndTextConfiguration.class, CrlfSerializerConfiguration.class)
                .withPropertyValues("easynet.unix.defaults.enabled=false",
                        "easynet.unix.servers.text.enabled=true",
                        "easynet.unix.servers.text.path=" + dir.resolve("text.sock"),
                        "easynet.unix.servers.text.serializer=crlfLines")
                .run(context -> {
                    try (var client = context.getBean(UnixStreamServers.class).<String, String>connect("text")) {
                        client.send("crlf");
                        assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo("CRLF");
                    }
                    assertThat(context.getBean(UnixStreamServers.class).getServers())
                            .extracting(ManagedUnixStreamServer::getName).containsExactly("text");
                });
    }

    @Test
    void serverSettingsOverrideDefaultsWhichOverrideTheCoreDefaults() {
        runner.withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class)
                .withPropertyValues("easynet.unix.defaults.max-connections=7",
                        "easynet.unix.defaults.max-packet-size=1KB", "easynet.unix.defaults.mode=0600",
                        "easynet.unix.servers.one.path=" + dir.resolve("one.sock"),
                        "easynet.unix.servers.one.max-connections=3", "easynet.unix.servers.one.backlog=5",
                        "easynet.unix.servers.one.receive-buffer-size=4KB",
                        "easynet.unix.servers.one.receive-timeout=2s", "easynet.unix.servers.one.idle-timeout=1m",
                        "easynet.unix.servers.one.log-client-connections=false",
                        "easynet.unix.servers.one.shutdown.grace-period=5s",
                        "easynet.unix.servers.one.send-timeout=0", "easynet.unix.servers.one.max-queued-sends=8",
                        "easynet.unix.servers.one.max-descriptors=16",
                        "easynet.unix.defaults.min-receive-rate.rate=100B",
                        "easynet.unix.servers.one.min-receive-rate.grace=3s",
                        "easynet.unix.servers.two.min-receive-rate.rate=0",
                        "easynet.unix.servers.two.path=" + dir.resolve("two.sock"))
                .run(context -> {
                    UnixStreamServers servers = context.getBean(UnixStreamServers.class);
                    ServerOptions one = options(servers, "one");
                    assertThat(one.maxConnections()).isEqualTo(3);
                    assertThat(one.backlog()).isEqualTo(5);
                    assertThat(one.maxPacketSize()).isEqualTo(1024);
                    assertThat(one.receiveBufferSize()).isEqualTo(4096);
                    assertThat(one.receiveTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(one.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(one.logClientConnections()).isFalse();
                    assertThat(one.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(one.sendTimeout()).as("0 turns the send timeout off").isNull();
                    assertThat(one.maxQueuedSends()).isEqualTo(8);
                    assertThat(one.maxDescriptors()).isEqualTo(16);
                    assertThat(one.minReceiveRate()).isEqualTo(new MinReceiveRate(100, Duration.ofSeconds(3)));
                    assertThat(one.socketFileMode()).isEqualTo(ServerOptions.builder().socketFileMode(0600)
                            .build().socketFileMode());
                    ServerOptions two = options(servers, "two");
                    assertThat(two.maxConnections()).isEqualTo(7);
                    assertThat(two.backlog()).isEqualTo(ServerOptions.DEFAULT_BACKLOG);
                    assertThat(two.receiveBufferSize()).isEqualTo(ServerOptions.DEFAULT_RECEIVE_BUFFER_SIZE);
                    assertThat(two.receiveTimeout()).isNull();
                    assertThat(two.shutdownGracePeriod()).isEqualTo(ServerOptions.DEFAULT_SHUTDOWN_GRACE_PERIOD);
                    assertThat(two.sendTimeout()).isEqualTo(ServerOptions.DEFAULT_SEND_TIMEOUT);
                    assertThat(two.maxQueuedSends()).isEqualTo(ServerOptions.DEFAULT_MAX_QUEUED_SENDS);
                    assertThat(two.maxDescriptors()).isEqualTo(ServerOptions.DEFAULT_MAX_DESCRIPTORS);
                    assertThat(two.minReceiveRate()).as("a rate of 0 turns the guard off").isNull();
                    assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("two.sock")))
                            .isEqualTo(two.socketFileMode());
                });
    }

    @Test
    void disabledServerIsNotStartedAndNeedsNoPath() {
        runner.withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class)
                .withPropertyValues("easynet.unix.servers.one.path=" + dir.resolve("one.sock"),
                        "easynet.unix.servers.two.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(UnixStreamServers.class).getServers())
                            .extracting(ManagedUnixStreamServer::getName).containsExactly("one");
                });
    }

    @Test
    void userDefinedServersBeanMakesTheAutoConfigurationBackOff() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class, OwnServersConfiguration.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(UnixStreamServers.class);
                    assertThat(context.getBean(UnixStreamServers.class).getServers()).isEmpty();
                });
    }

    @Test
    void userThreadFactoryServesTheClients() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class, CountingThreadFactoryConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                .run(context -> {
                    assertThat(LineClient.exchange(dir.resolve("echo.sock"), "true")).isEqualTo("true");
                    assertThat(context.getBean(CountingThreadFactoryConfiguration.class).threads.get()).isOne();
                });
    }

    @Test
    void customizersRunInOrderAndMayChangeOptionsAndAddListeners() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class, CustomizerConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                .run(context -> {
                    CustomizerConfiguration customizers = context.getBean(CustomizerConfiguration.class);
                    assertThat(customizers.calls).containsExactly("first echo", "second echo");
                    assertThat(options(context.getBean(UnixStreamServers.class), "echo").maxConnections())
                            .isEqualTo(2);
                    assertThat(LineClient.exchange(dir.resolve("echo.sock"), "[]")).isEqualTo("[]");
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> customizers.connected.get() == 1);
                });
    }

    @Test
    void jsonServersUseTheApplicationsJacksonMapperWithItsCustomizations() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withUserConfiguration(TestHandlers.MethodsConfiguration.class, SnakeCaseConfiguration.class)
                .withPropertyValues("easynet.unix.defaults.enabled=false", "easynet.unix.servers.double.enabled=true",
                        "easynet.unix.servers.double.path=" + dir.resolve("double.sock"))
                .run(context -> assertThat(LineClient.exchange(dir.resolve("double.sock"), "{\"add\": 1}"))
                        .isEqualTo("{\"running_total\":2}"));
    }

    @Test
    void userJsonMapperBeanIsUsed() {
        runner.withUserConfiguration(TestHandlers.MethodsConfiguration.class, OwnJsonMapperConfiguration.class)
                .withPropertyValues("easynet.unix.defaults.enabled=false", "easynet.unix.servers.double.enabled=true",
                        "easynet.unix.servers.double.path=" + dir.resolve("double.sock"))
                .run(context -> assertThat(LineClient.exchange(dir.resolve("double.sock"), "{\"add\": 1}"))
                        .isEqualTo("{\"running_total\":2}"));
    }

    @Test
    void methodHandlerOfAnInterfaceProxiedBeanIsFoundAndCalledThroughTheProxy() {
        runner.withUserConfiguration(ProxiedGreeterConfiguration.class)
                .withPropertyValues("easynet.unix.servers.greet.path=" + dir.resolve("greet.sock"))
                .run(context -> {
                    assertThat(context.getBean("greeter")).isInstanceOf(java.lang.reflect.Proxy.class);
                    assertThat(LineClient.exchange(dir.resolve("greet.sock"), "\"Ada\"")).isEqualTo("\"hello Ada\"");
                    assertThat(context.getBean(ProxiedGreeterConfiguration.class).calls.get()).isOne();
                });
    }

    @Test
    void requestTypeOfAGenericBaseClassMethodIsTheOneTheBeansClassBinds() {
        runner.withUserConfiguration(GenericHandlerConfiguration.class)
                .withPropertyValues("easynet.unix.servers.describe.path=" + dir.resolve("describe.sock"))
                .run(context -> assertThat(LineClient.exchange(dir.resolve("describe.sock"), "{\"add\": 3}"))
                        .isEqualTo("\"Add[add=3]\""));
    }

    @Test
    void factoryBeanMadeHandlerIsServed() {
        runner.withUserConfiguration(FactoryBeanHandlerConfiguration.class)
                .withPropertyValues("easynet.unix.servers.made.path=" + dir.resolve("made.sock"))
                .run(context -> assertThat(LineClient.exchange(dir.resolve("made.sock"), "[1]")).isEqualTo("[1]"));
    }

    @Test
    void childContextServesItsHandlersWhenItsParentHasTheAutoConfigurationToo() {
        try (var parent = new org.springframework.context.annotation.AnnotationConfigApplicationContext(
                EasynetUnixAutoConfiguration.class)) {
            runner.withParent(parent).withUserConfiguration(TestHandlers.EchoConfiguration.class)
                    .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                    .run(context -> assertThat(LineClient.exchange(dir.resolve("echo.sock"), "7")).isEqualTo("7"));
        }
    }

    private static ServerOptions options(UnixStreamServers servers, String name) {
        return servers.get(name).getServer().orElseThrow().options();
    }

    @Configuration(proxyBeanMethods = false)
    static class BytesAndTextConfiguration {

        @Bean
        @UnixStreamHandler("text")
        StreamRequestHandler<String, String> upperCase() {
            return (client, requests) -> client.send(requests.receive().toUpperCase(java.util.Locale.ROOT));
        }

        @Bean
        @UnixStreamHandler("bytes")
        StreamRequestHandler<byte[], byte[]> reverse() {
            return (client, requests) -> {
                byte[] request = requests.receive();
                byte[] reversed = new byte[request.length];
                for (int i = 0; i < request.length; i++) {
                    reversed[i] = request[request.length - 1 - i];
                }
                client.send(reversed);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CrlfSerializerConfiguration {

        @Bean
        LineSerializer crlfLines() {
            return new LineSerializer(Newline.CRLF, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnServersConfiguration {

        @Bean
        UnixStreamServers myServers(org.springframework.context.ApplicationEventPublisher events) {
            return new UnixStreamServers(List::of, null, events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CountingThreadFactoryConfiguration {

        final AtomicInteger threads = new AtomicInteger();

        @Bean
        ThreadFactory easynetClientThreadFactory() {
            ThreadFactory virtual = Thread.ofVirtual().factory();
            return task -> {
                threads.incrementAndGet();
                return virtual.newThread(task);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        final AtomicInteger connected = new AtomicInteger();

        @Bean
        @Order(2)
        UnixStreamServerCustomizer second() {
            return factory -> {
                calls.add("second " + factory.getName());
                factory.addListener(new ServerListener() {
                    @Override
                    public void clientConnected(StreamClient<?> client) {
                        connected.incrementAndGet();
                    }
                });
            };
        }

        @Bean
        @Order(1)
        UnixStreamServerCustomizer first() {
            return factory -> {
                calls.add("first " + factory.getName());
                factory.setOptions(factory.getOptions().toBuilder().maxConnections(2).build());
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SnakeCaseConfiguration {

        @Bean
        JsonMapperBuilderCustomizer snakeCase() {
            return builder -> builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnJsonMapperConfiguration {

        @Bean
        JsonMapper myMapper() {
            return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        }
    }

    /** The interface the proxy exposes. */
    interface Greeter {

        String greet(String name);
    }

    static class PoliteGreeter implements Greeter {

        @Override
        @UnixStreamHandler("greet")
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProxiedGreeterConfiguration {

        final AtomicInteger calls = new AtomicInteger();

        @Bean
        PoliteGreeter greeter() {
            return new PoliteGreeter();
        }

        @Bean
        static org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator proxyCreator() {
            var creator = new org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator();
            creator.setBeanNames("greeter");
            creator.setInterceptorNames("countingInterceptor");
            return creator;
        }

        @Bean
        org.aopalliance.intercept.MethodInterceptor countingInterceptor() {
            return invocation -> {
                calls.incrementAndGet();
                return invocation.proceed();
            };
        }
    }

    /** A handler method whose request type is a type variable. */
    abstract static class Describer<T> {

        @UnixStreamHandler("describe")
        String describe(T request) {
            return request.toString();
        }
    }

    static class AddDescriber extends Describer<TestHandlers.Add> {
    }

    @Configuration(proxyBeanMethods = false)
    static class GenericHandlerConfiguration {

        @Bean
        AddDescriber addDescriber() {
            return new AddDescriber();
        }
    }

    static class EchoFactoryBean implements org.springframework.beans.factory.FactoryBean<TestHandlers.Echo> {

        @Override
        public TestHandlers.Echo getObject() {
            return new TestHandlers.Echo();
        }

        @Override
        public Class<?> getObjectType() {
            return TestHandlers.Echo.class;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FactoryBeanHandlerConfiguration {

        @Bean
        @UnixStreamHandler("made")
        EchoFactoryBean madeEcho() {
            return new EchoFactoryBean();
        }
    }
}
