package io.easynet.server;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket-activated server for {@link InheritedSocketTest}: serves with {@code inheritSocket} on the path it is
 * given, answers one line with its pid and whether its socket was inherited, then stops.
 */
final class InheritedServerChild {

    private InheritedServerChild() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<AsyncUnixStreamServer<String, String>> self = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            client.send(requests.receive() + " from " + ProcessHandle.current().pid() + ", inherited "
                    + self.get().isInherited());
            answered.countDown();
        };
        try (var server = new AsyncUnixStreamServer<>(Path.of(args[0]), Servers.LINES, handler,
                ServerOptions.builder().inheritSocket(true).build())) {
            self.set(server);
            server.start();
            answered.await();
        }
    }
}
