package io.easynet.server;

import static io.easynet.server.Servers.LINES;
import static io.easynet.server.Servers.echo;
import static io.easynet.server.Servers.startLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.sun.security.auth.module.UnixSystem;
import io.easynet.client.ClientOptions;
import io.easynet.client.UnixStreamClient;
import io.easynet.transport.PeerCredentials;
import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who is on the other end ({@code SO_PEERCRED}), and the access policy that refuses peers before any handler code. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PeerCredentialsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final UnixSystem USER = new UnixSystem();

    private static final PeerCredentials THIS_PROCESS = new PeerCredentials(ProcessHandle.current().pid(),
            (int) USER.getUid(), (int) USER.getGid());

    @TempDir
    Path dir;

    @Test
    void bothEndsSeeThisProcessesPidUidAndGid() throws Exception {
        var seen = new CopyOnWriteArrayList<PeerCredentials>();
        var handler = Servers.echoAfter(client -> seen.add(client.peerCredentials()));
        var options = ServerOptions.builder().peerCredentials(true).build();
        try (var server = startLines(dir, handler, options); var client = UnixStreamClient.connect(server.path(),
                LINES, ClientOptions.defaults().withPeerCredentials(true))) {
            client.send("who");

            assertThat(client.receive(TIMEOUT)).isEqualTo("who");
            assertThat(seen).containsExactly(THIS_PROCESS);
            assertThat(client.peerCredentials()).isEqualTo(THIS_PROCESS);
        }
    }

    @Test
    void credentialsAreRefusedNamingTheOptionWhenNeitherEndReadsThem() throws Exception {
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            requests.receive();
            try {
                client.peerCredentials();
            } catch (UnsupportedOperationException e) {
                client.send(e.getMessage());
            }
        };
        try (var server = startLines(dir, handler); var client = Servers.lineClient(server)) {
            client.send("who");

            assertThat(client.receive(TIMEOUT)).isEqualTo("the server does not read the peer credentials of client#1 "
                    + "on " + server.path() + ": set ServerOptions.peerCredentials(true), or an access policy or "
                    + "ancillary buffer, which run the server on junixsocket");
            assertThatThrownBy(client::peerCredentials).isExactlyInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("the credentials of the server on " + server.path() + " were not read: connect with "
                            + "ClientOptions.withPeerCredentials(true)");
        }
    }

    @Test
    void aPeerOutsideTheAllowedUidsIsRefusedBeforeAnyHandlerCodeLoggedAndCountedAsDenied() throws Exception {
        int otherUid = THIS_PROCESS.uid() + 1;
        AtomicInteger handlerCalls = new AtomicInteger();
        var handler = new StreamRequestHandler<String, String>() {
            @Override
            public void onConnection(StreamClient<String> client, RequestStream<String> requests) {
                handlerCalls.incrementAndGet();
            }

            @Override
            public void handle(StreamClient<String> client, RequestStream<String> requests) {
                handlerCalls.incrementAndGet();
            }
        };
        var events = new ServerListenerTest.Recorder();
        var options = ServerOptions.builder().accessPolicy(AccessPolicy.uids(otherUid)).build();
        var server = new AsyncUnixStreamServer<>(dir.resolve("server.sock"), LINES, handler, options);
        server.addListener(events);
        try (LogCapture logs = LogCapture.of(AsyncUnixStreamServer.class); server) {
            server.start();
            try (var client = Servers.lineClient(server)) {
                assertThatThrownBy(() -> client.receive(TIMEOUT)).isInstanceOf(EOFException.class);
            }

            await().atMost(TIMEOUT).until(() -> events.events.contains("rejected DENIED"));
            assertThat(logs.messages(Level.WARN)).containsExactly("Refused a connection on " + server.path()
                    + " from pid " + THIS_PROCESS.pid() + " (uid " + THIS_PROCESS.uid() + ", gid " + THIS_PROCESS.gid()
                    + "): only uids [" + otherUid + "] may connect");
            assertThat(server.clients()).isEmpty();
        }
        assertThat(handlerCalls).hasValue(0);
        assertThat(events.events).containsExactly("started", "rejected DENIED", "stopped");
    }

    @Test
    void sameUserOnlyAndAListedGidLetThisProcessIn() throws Exception {
        for (AccessPolicy policy : new AccessPolicy[] {AccessPolicy.sameUserOnly(),
                AccessPolicy.gids(THIS_PROCESS.gid())}) {
            var options = ServerOptions.builder().accessPolicy(policy).build();
            try (var server = startLines(dir, echo(), options); var client = Servers.lineClient(server)) {
                client.send("allowed by " + policy);

                assertThat(client.receive(TIMEOUT)).isEqualTo("allowed by " + policy);
            }
        }
    }

    @Test
    void aPolicySaysWhoMayConnectInItsOwnWordsAndAnyoneChecksNothing() {
        assertThat(new AccessPolicy(Set.of(1001, 1000, -2), Set.of(100), true)).hasToString(
                "uids [1000, 1001, 4294967294] or gids [100] or the server's user (uid " + THIS_PROCESS.uid() + ")");
        assertThat(AccessPolicy.ANYONE).hasToString("anyone");
        assertThat(AccessPolicy.ANYONE.allowsAnyone()).isTrue();
        assertThat(AccessPolicy.ANYONE.allows(new PeerCredentials(1, 12345, 12345))).isTrue();
        assertThat(AccessPolicy.uids(7).allows(new PeerCredentials(1, 8, 7))).isFalse();
        assertThat(AccessPolicy.gids(7).allows(new PeerCredentials(1, 8, 7))).isTrue();
    }
}
