package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerConflictException;
import io.easynet.boot.unix.UnixStreamServerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every way the starter refuses to start, with the message and the failure analysis a user reads. */
@Timeout(30)
class StartupFailureTests {

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
        assertInvalid("easynet.unix.servers.echo.mode=0999", "easynet.unix.servers.echo.mode", "0999",
                "must be an octal permission mode such as \"0660\"");
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

    private static <T extends Throwable> T failure(AssertableApplicationContext context, Class<T> type) {
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
}
