package io.easynet.server;

import java.io.IOException;
import java.io.Serial;

/**
 * A send refused because {@link ServerOptions#maxQueuedSends()} sends to the client were already waiting. Nothing
 * was sent and the connection stays open: the sender decides whether to drop the response, retry later or close
 * the client.
 */
public final class SendQueueFullException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    SendQueueFullException(String message) {
        super(message);
    }
}
