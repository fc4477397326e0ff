package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerConflictException;
import io.easynet.boot.unix.UnixStreamServerException;
import io.easynet.server.StreamRequestHandler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;

/** Every way the starter refuses to start, with the message and the failure analysis a user reads. */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

    private static final String MODE_REASON = "must be an octal permission mode with its leading 0, such as "
            + "\"0660\" (quoted in YAML, which reads an unquoted 0660 as the number 432)";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void twoHandlersWithOneNameFailWithBothBeanNames() {
        runner.withUserConfiguration(TestHandlers.DuplicateNameConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"))
                .run(context -> {
                    var conflict = failure(context, UnixStreamServerConflictException.class);
                    assertThat(conflict).hasMessage(
                            "server name 'echo' is claimed by bean 'firstEcho' and bean 'secondEcho'");
                    FailureAnalysis analysis = new UnixStreamServerConflictFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).isEqualTo("Two Unix stream servers conflict: the server "
                            + "name 'echo' is claimed by bean 'firstEcho' and bean 'secondEcho'.");
                    assertThat(analysis.getAction()).contains("Give each @UnixStreamHandler its own name");
                });
    }

    @Test
    void twoServersOnOnePathFailWithBothServerNames() {
        runner.withUserConfiguration(TestHandlers.TwoEchoesConfiguration.class)
                .withPropertyValues("easynet.unix.servers.one.path=" + dir.resolve("same.sock"),
                        "easynet.unix.servers.two.path=" + dir.resolve("./same.sock"))
                .run(context -> {
                    assertThat(failure(context, UnixStreamServerConflictException.class)).hasMessage("socket path "
                            + dir.resolve("same.sock") + " is claimed by server 'one' and server 'two'");
                    assertThat(new UnixStreamServerConflictFailureAnalyzer().analyze(context.getStartupFailure())
                            .getAction()).contains("easynet.unix.servers.<name>.path");
                    assertThat(dir.resolve("same.sock")).doesNotExist();
                });
    }

    @Test
    void aHandlerWithNoPathFailsNamingThePropertyToSet() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class).run(context -> {
            assertThat(failure(context, MissingUnixSocketPathException.class)).hasMessage(
                    "Unix stream server 'echo' (bean 'echoHandler') has no socket path: set "
                            + "easynet.unix.servers.echo.path");
            assertThat(new MissingUnixSocketPathFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                    .startsWith("Set easynet.unix.servers.echo.path (for example to /run/myapp/echo.sock)");
        });
    }

    @Test
    void aPathAnotherServerListensOnFailsWithTheInUseAnalysis() {
        Path socket = dir.resolve("echo.sock");
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + socket)
                .run(first -> runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                        .withPropertyValues("easynet.unix.servers.echo.path=" + socket)
                        .run(second -> {
                            failure(second, UnixStreamServerException.class);
                            FailureAnalysis analysis = new UnixSocketInUseFailureAnalyzer()
                                    .analyze(second.getStartupFailure());
                            assertThat(analysis.getDescription()).isEqualTo("Unix stream server 'echo' could not "
                                    + "bind " + socket + ": a server is already listening on " + socket + ".");
                            assertThat(analysis.getAction()).startsWith("Stop the process that listens on " + socket);
                            assertThat(LineClient.exchange(socket, "1")).isEqualTo("1");
                        }));
    }

    @Test
    void badModeIsRefusedWithItsProperty() {
        assertInvalid("easynet.unix.servers.echo.mode=0999", "easynet.unix.servers.echo.mode", "0999", MODE_REASON);
    }

    @Test
    void unquotedYamlModeWhichYamlReadsAsADecimalNumberIsRefused() {
        assertInvalid("easynet.unix.servers.echo.mode=432", "easynet.unix.servers.echo.mode", "432", MODE_REASON);
    }

    @Test
    void negativeSizeInheritedFromTheDefaultsIsRefusedWithTheDefaultsProperty() {
        assertInvalid("easynet.unix.defaults.max-packet-size=-1KB", "easynet.unix.defaults.max-packet-size", null,
                "must be more than 0B and less than 2GB");
    }

    @Test
    void zeroTimeoutIsRefused() {
        assertInvalid("easynet.unix.servers.echo.idle-timeout=0s", "easynet.unix.servers.echo.idle-timeout", null,
                "must be positive; leave it unset for no timeout");
    }

    @Test
    void negativeSendTimeoutIsRefusedAndZeroMeansNoLimit() {
        assertInvalid("easynet.unix.servers.echo.send-timeout=-1s", "easynet.unix.servers.echo.send-timeout", null,
                "must be positive, or 0 for no limit");
    }

    @Test
    void negativeMinReceiveRateOrZeroGraceIsRefused() {
        assertInvalid("easynet.unix.defaults.min-receive-rate.rate=-1KB", "easynet.unix.defaults.min-receive-rate.rate",
                null, "must be 0B (no guard) up to less than 2GB per second");
        assertInvalid("easynet.unix.servers.echo.min-receive-rate.grace=0s",
                "easynet.unix.servers.echo.min-receive-rate.grace", null, "must be positive; leave it unset for no "
                        + "timeout");
    }

    @Test
    void negativeMaxQueuedSendsIsRefused() {
        assertInvalid("easynet.unix.servers.echo.max-queued-sends=-1", "easynet.unix.servers.echo.max-queued-sends",
                -1, "must not be negative");
    }

    @Test
    void zeroMaxDescriptorsIsRefused() {
        assertInvalid("easynet.unix.servers.echo.max-descriptors=0", "easynet.unix.servers.echo.max-descriptors", 0,
                "must be positive");
    }

    @Test
    void zeroBacklogIsRefused() {
        assertInvalid("easynet.unix.servers.echo.backlog=0", "easynet.unix.servers.echo.backlog", 0,
                "must be positive");
    }

    @Test
    void unknownSerializerIsRefusedWithTheChoices() {
        assertInvalid("easynet.unix.servers.echo.serializer=yaml", "easynet.unix.servers.echo.serializer", "yaml",
                "no such serializer; choose json, line, length-prefixed, raw, or the name of a StreamSerializer or "
                        + "StreamProtocol bean");
    }

    @Test
    void serializerThatCannotDecodeTheHandlersRequestTypeIsRefused() {
        assertInvalid("easynet.unix.servers.echo.serializer=line", "easynet.unix.servers.echo.serializer", "line",
                "it decodes requests as String, but bean 'echoHandler' takes tools.jackson.databind.JsonNode");
    }

    @Test
    void settingsForAServerThatHasNoHandlerAreRefused() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"),
                        "easynet.unix.servers.ecoh.path=" + dir.resolve("typo.sock"))
                .run(context -> assertThat(failure(context, InvalidConfigurationPropertyValueException.class)
                        .getReason()).isEqualTo("no @UnixStreamHandler is named 'ecoh'; the handlers are [echo] "
                                + "(set enabled: false to keep settings for a handler that is absent)"));
    }

    @Test
    void annotatedBeanThatIsNotAHandlerIsRefused() {
        runner.withUserConfiguration(NotAHandlerConfiguration.class).run(context -> assertThat(
                failure(context, IllegalStateException.class)).hasMessage("bean 'notAHandler' is annotated "
                        + "@UnixStreamHandler but does not implement StreamRequestHandler: implement it, or annotate "
                        + "the method that handles a request instead"));
    }

    @Test
    void handlerMethodWithTwoRequestParametersIsRefused() {
        runner.withUserConfiguration(TwoParametersConfiguration.class).run(context -> assertThat(
                failure(context, IllegalStateException.class)).hasMessage("@UnixStreamHandler method "
                        + "TwoParameters.handle(String, String) of bean 'twoParameters' must take exactly one "
                        + "request parameter, and optionally a StreamClient parameter"));
    }

    @Test
    void serializerBeanWhosePacketTypeDoesNotFitTheHandlerIsRefused() {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class,
                        EasynetUnixAutoConfigurationTests.CrlfSerializerConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"),
                        "easynet.unix.servers.echo.serializer=crlfLines")
                .run(context -> assertThat(failure(context, InvalidConfigurationPropertyValueException.class)
                        .getReason()).isEqualTo("it decodes requests as String, but bean 'echoHandler' takes "
                                + "tools.jackson.databind.JsonNode"));
    }

    @Test
    void badSerializerInTheAnnotationIsReportedAsTheAnnotationsNotAsAProperty() {
        runner.withUserConfiguration(AnnotationSettingsConfiguration.class)
                .withPropertyValues("easynet.unix.servers.annotated.path=" + dir.resolve("a.sock"))
                .run(context -> assertThat(failure(context, IllegalStateException.class)).hasMessage(
                        "@UnixStreamHandler(serializer = \"yaml\") on bean 'annotated' is invalid: no such "
                                + "serializer; choose json, line, length-prefixed, raw, or the name of a "
                                + "StreamSerializer or StreamProtocol bean"));
    }

    @Test
    void disabledServerNeedsNeitherAResolvablePathNorValidSettings() {
        runner.withUserConfiguration(AnnotationSettingsConfiguration.class)
                .withPropertyValues("easynet.unix.servers.annotated.enabled=false",
                        "easynet.unix.servers.annotated.backlog=-1")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void serverNameThatIsNotAPropertyNameElementIsRefused() {
        runner.withUserConfiguration(CamelCaseNameConfiguration.class).run(context -> assertThat(
                failure(context, IllegalStateException.class)).hasMessage("@UnixStreamHandler(\"myEcho\") on bean "
                        + "'camel': a server name is lower-case letters, digits and dashes, such as \"my-echo\", as "
                        + "it is written in easynet.unix.servers.<name>"));
    }

    @Test
    void prototypeHandlerBeanIsRefused() {
        runner.withUserConfiguration(PrototypeHandlerConfiguration.class).run(context -> assertThat(
                failure(context, IllegalStateException.class)).hasMessage("handler bean 'perRequest' is in the "
                        + "'prototype' scope, but a server serves every client with one handler: make the bean a "
                        + "singleton, and keep per-client state in @UnixClientScope beans or "
                        + "StreamClient.attributes()"));
    }

    @Test
    void handlerWhoseRequestTypeCannotBeToldIsRefused() {
        runner.withUserConfiguration(RawLambdaConfiguration.class).run(context -> assertThat(
                failure(context, IllegalStateException.class)).hasMessage("cannot tell the request type of bean "
                        + "'rawLambda': declare it, for example as the generic types of the @Bean method's "
                        + "StreamRequestHandler<Req, Resp>"));
    }

    @Test
    void springApplicationPrintsTheFailureAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MissingPathApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(MissingUnixSocketPathException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Unix stream server 'echo' (bean 'echoHandler') has no socket path: set "
                        + "easynet.unix.servers.echo.path.")
                .contains("Set easynet.unix.servers.echo.path (for example to /run/myapp/echo.sock)");
    }

    private void assertInvalid(String property, String name, Object value, String reason) {
        runner.withUserConfiguration(TestHandlers.EchoConfiguration.class)
                .withPropertyValues("easynet.unix.servers.echo.path=" + dir.resolve("echo.sock"), property)
                .run(context -> {
                    var invalid = failure(context, InvalidConfigurationPropertyValueException.class);
                    assertThat(invalid.getName()).isEqualTo(name);
                    if (value != null) {
                        assertThat(invalid.getValue()).isEqualTo(value);
                    }
                    assertThat(invalid.getReason()).isEqualTo(reason);
                    assertThat(dir.resolve("echo.sock")).doesNotExist();
                });
    }

    /** The first exception of {@code type} in the chain of the context's startup failure. */
    static <T extends Throwable> T failure(AssertableApplicationContext context, Class<T> type) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null) {
            if (type.isInstance(failure)) {
                return type.cast(failure);
            }
            failure = failure.getCause();
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + context.getStartupFailure());
    }

    @Configuration(proxyBeanMethods = false)
    static class NotAHandlerConfiguration {

        @Bean
        @UnixStreamHandler("echo")
        Object notAHandler() {
            return new Object();
        }
    }

    static class TwoParameters {

        @UnixStreamHandler("two")
        String handle(String first, String second) {
            return first + second;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoParametersConfiguration {

        @Bean
        TwoParameters twoParameters() {
            return new TwoParameters();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotationSettingsConfiguration {

        @Bean
        @UnixStreamHandler(name = "annotated", path = "${no.such.property}/a.sock", serializer = "yaml")
        TestHandlers.Echo annotated() {
            return new TestHandlers.Echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CamelCaseNameConfiguration {

        @Bean
        @UnixStreamHandler("myEcho")
        TestHandlers.Echo camel() {
            return new TestHandlers.Echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeHandlerConfiguration {

        @Bean
        @Scope("prototype")
        @UnixStreamHandler("prototype")
        TestHandlers.Echo perRequest() {
            return new TestHandlers.Echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RawLambdaConfiguration {

        @Bean
        @UnixStreamHandler("raw")
        @SuppressWarnings("rawtypes")
        StreamRequestHandler rawLambda() {
            return (client, requests) -> client.send(requests.receive());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import({ EasynetUnixAutoConfiguration.class, TestHandlers.EchoConfiguration.class })
    static class MissingPathApplication {
    }
}
