package io.easynet.server;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket-activated server for {@link SystemdSocketTest}: serves with {@code requireSystemdSocket} on the path it is
 * given, answers one line with its pid and whether its socket was inherited, then stops.
 */
final class SystemdServerChild {

    private SystemdServerChild() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        AtomicReference<AsyncUnixStreamServer<String, String>> self = new AtomicReference<>();
        StreamRequestHandler<String, String> handler = (client, requests) -> {
            client.send(requests.receive() + " from " + ProcessHandle.current().pid() + ", inherited "
                    + self.get().servesSystemdSocket());
            answered.countDown();
        };
        try (var server = new AsyncUnixStreamServer<>(Path.of(args[0]), Servers.LINES, handler,
                ServerOptions.builder().requireSystemdSocket(true).build())) {
            self.set(server);
            server.start();
            answered.await();
        }
    }
}
