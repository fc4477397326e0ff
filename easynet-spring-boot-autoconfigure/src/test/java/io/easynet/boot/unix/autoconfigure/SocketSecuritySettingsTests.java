package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServers;
import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.AccessPolicy;
import io.easynet.server.RequestStream;
import io.easynet.server.ServerOptions;
import io.easynet.server.SocketFileState;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The settings that need junixsocket: ancillary data, peer credentials, access control, the socket file's group,
 * abstract addresses and systemd-passed sockets, bound from properties and checked over real sockets.
 */
@Timeout(30)
class SocketSecuritySettingsTests {

    private static final com.sun.security.auth.module.UnixSystem US = new com.sun.security.auth.module.UnixSystem();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EasynetUnixAutoConfiguration.class))
            .withUserConfiguration(WhoAmIConfiguration.class);

    @TempDir
    Path dir;

    @Test
    void ancillaryCredentialsAndAccessSettingsAreBoundAndInherited() {
        runner.withPropertyValues("easynet.unix.defaults.access.allowed-gids=" + US.getGid() + ",4242",
                        "easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.ancillary-buffer-size=256B",
                        "easynet.unix.servers.who.peer-credentials=true",
                        "easynet.unix.servers.who.access.allowed-uids=" + US.getUid())
                .run(context -> {
                    ServerOptions options = context.getBean(UnixStreamServers.class).get("who").getServer()
                            .orElseThrow().options();
                    assertThat(options.ancillaryBufferSize()).isEqualTo(256);
                    assertThat(options.peerCredentials()).isTrue();
                    assertThat(options.accessPolicy()).isEqualTo(new AccessPolicy(Set.of((int) US.getUid()),
                            Set.of((int) US.getGid(), 4242), false));
                    assertThat(exchange(dir.resolve("who.sock"), "?")).isEqualTo(
                            ProcessHandle.current().pid() + " " + US.getUid() + " " + US.getGid());
                });
    }

    @Test
    void aPeerOutsideTheAllowedUidsIsClosedBeforeAnyHandlerCodeRuns() {
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.access.allowed-uids=" + (US.getUid() + 1))
                .run(context -> {
                    try (var client = connect(dir.resolve("who.sock"))) {
                        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client.receive(
                                Duration.ofSeconds(5)))).isInstanceOf(java.io.EOFException.class);
                    }
                    assertThat(context.getBean(WhoAmIConfiguration.class).connections.get()).isZero();
                });
    }

    @Test
    void sameUserLetsThisProcessesUserIn() {
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.access.same-user=true")
                .run(context -> {
                    assertThat(exchange(dir.resolve("who.sock"), "?")).endsWith(US.getUid() + " " + US.getGid());
                    assertThat(context.getBean(WhoAmIConfiguration.class).connections.get()).isOne();
                });
    }

    @Test
    void theSocketFileGetsTheConfiguredGroupAndMode() throws Exception {
        String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.group=" + group, "easynet.unix.servers.who.mode=0660")
                .run(context -> {
                    PosixFileAttributes file = Files.readAttributes(dir.resolve("who.sock"), PosixFileAttributes.class);
                    assertThat(file.group().getName()).isEqualTo(group);
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(file.permissions()))
                            .isEqualTo("rw-rw----");
                });
    }

    @Test
    void anAtPathListensInTheAbstractNamespaceWithoutFileIgnoresTheDefaultModeAndKnowsItsPeer() {
        String name = "@easynet-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        runner.withPropertyValues("easynet.unix.defaults.mode=0600", "easynet.unix.servers.who.path=" + name)
                .run(context -> {
                    var server = context.getBean(UnixStreamServers.class).get("who");
                    assertThat(server.getServer().orElseThrow().socketFileState()).isEqualTo(SocketFileState.ABSTRACT);
                    assertThat(Path.of(name)).doesNotExist();
                    try (UnixStreamClient<String, String> client = context.getBean(UnixStreamServers.class)
                            .connect("who")) {
                        client.send("?");
                        assertThat(client.receive(Duration.ofSeconds(5))).isEqualTo(
                                ProcessHandle.current().pid() + " " + US.getUid() + " " + US.getGid());
                    }
                    assertThat(context.getEnvironment().getProperty("local.easynet.unix.who.path")).isEqualTo(name);
                });
    }

    @Test
    void aModeForAnAbstractAddressIsRefused() {
        runner.withPropertyValues("easynet.unix.servers.who.path=@easynet-refused",
                        "easynet.unix.servers.who.mode=0600")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("easynet.unix.servers.who.mode").hasMessageContaining(
                                    "the server is in the abstract namespace (its path starts with @), which has no "
                                            + "socket file to give a mode to");
                });
    }

    @Test
    void anAncillaryBufferJunixsocketCannotGiveIsRefusedWithTheRange() {
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.ancillary-buffer-size=8KB")
                .run(context -> {
                    var invalid = StartupFailureTests.failure(context,
                            InvalidConfigurationPropertyValueException.class);
                    assertThat(invalid.getName()).isEqualTo("easynet.unix.servers.who.ancillary-buffer-size");
                    assertThat(invalid.getReason()).startsWith("the ancillary buffer must be between 24 and 1032 "
                            + "bytes, got 8192");
                });
    }

    @Test
    void anAllowListThatIsSetButEmptyIsRefusedRatherThanLettingEveryoneIn() {
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.access.allowed-uids=")
                .run(context -> {
                    var invalid = StartupFailureTests.failure(context,
                            InvalidConfigurationPropertyValueException.class);
                    assertThat(invalid.getName()).isEqualTo("easynet.unix.servers.who.access.allowed-uids");
                    assertThat(invalid.getReason()).isEqualTo("must list at least one id: an empty list would let "
                            + "every peer in; remove the property to allow anyone");
                    assertThat(dir.resolve("who.sock")).doesNotExist();
                });
    }

    @Test
    void inheritWithoutASocketFromSystemdFailsTheStartSayingSo() {
        runner.withPropertyValues("easynet.unix.servers.who.path=" + dir.resolve("who.sock"),
                        "easynet.unix.servers.who.inherit=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                            "requireSystemdSocket is set for the server on " + dir.resolve("who.sock")
                                    + ", but systemd passed no socket");
                });
    }

    private static UnixStreamClient<String, String> connect(Path path) throws java.io.IOException {
        return UnixStreamClient.connect(path, StreamProtocol.of(new LineSerializer()));
    }

    private static String exchange(Path path, String line) throws Exception {
        try (var client = connect(path)) {
            client.send(line);
            return client.receive(Duration.ofSeconds(5));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WhoAmIConfiguration {

        final AtomicInteger connections = new AtomicInteger();

        @Bean
        @UnixStreamHandler(name = "who", serializer = "line")
        StreamRequestHandler<String, String> who() {
            return new StreamRequestHandler<>() {
                @Override
                public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                    connections.incrementAndGet();
                }

                @Override
                public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
                    requests.receive();
                    String answer;
                    try {
                        var peer = client.peerCredentials();
                        answer = peer.pid() + " " + peer.uid() + " " + peer.gid();
                    } catch (UnsupportedOperationException e) {
                        answer = "unavailable";
                    }
                    client.send(answer);
                }
            };
        }
    }
}
