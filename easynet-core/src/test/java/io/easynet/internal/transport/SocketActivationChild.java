package io.easynet.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A socket-activated process for {@link SocketActivationTest}: takes the listeners systemd would pass, accepts one
 * connection on the first, and answers its line with how many listeners it got and its pid.
 */
final class SocketActivationChild {

    private SocketActivationChild() {
    }

    public static void main(String[] args) throws IOException {
        List<UnixListener> listeners = SocketActivation.listeners();
        try (UnixListener listener = listeners.getFirst(); UnixConnection connection = listener.accept()) {
            ByteBuffer request = ByteBuffer.allocate(64);
            do {
                if (connection.read(request) < 0) {
                    throw new IOException("end of stream before a whole line");
                }
            } while (request.get(request.position() - 1) != '\n');
            String line = new String(request.array(), 0, request.position() - 1, StandardCharsets.UTF_8);
            String answer = line + " from " + listeners.size() + " listener(s) in " + ProcessHandle.current().pid()
                    + "\n";
            connection.writeFully(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
