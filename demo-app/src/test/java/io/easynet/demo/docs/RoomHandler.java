package io.easynet.demo.docs;

import io.easynet.server.AttributeKey;
import io.easynet.server.RequestStream;
import io.easynet.server.ServiceContext;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * handler-model.md's sample, a line-based chat room: a nickname handshake in {@code onConnection}, one line per round,
 * a goodbye in {@code onDisconnection}, and a heartbeat from a background task started in {@code serviceInit}.
 */
// tag::room-handler[]
class RoomHandler implements StreamRequestHandler<String, String> {

    static final ScopedValue<String> ROOM = ScopedValue.newInstance();
    static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);

    private final Set<StreamClient<String>> members = ConcurrentHashMap.newKeySet();   // shared by every client
    private final Duration heartbeat;

    RoomHandler(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public void serviceInit(ServiceContext<String, String> context) {
        context.bind(ROOM, "lobby");                          // bound on every client's thread
        context.startBackgroundTask("heartbeat", () -> {      // interrupted and joined when the server stops
            while (true) {
                Thread.sleep(heartbeat);
                broadcast("* ping");
            }
        });
    }

    @Override
    public void onConnection(StreamClient<String> client, RequestStream<String> requests) throws Exception {
        client.send("nick?");
        client.attributes().set(NICK, requests.receive());    // a handshake before the first round
        members.add(client);
        broadcast("* " + client.attributes().get(NICK) + " joined " + ROOM.get());
    }

    @Override
    public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
        String line = requests.receive();                     // one round: one line
        if (line.equals("/quit")) {
            client.close();                                   // no further round; onDisconnection follows
            return;
        }
        broadcast(client.attributes().get(NICK) + ": " + line);
    }

    @Override
    public void onDisconnection(StreamClient<String> client) {
        members.remove(client);
        broadcast("* " + client.attributes().get(NICK) + " left");
    }

    private void broadcast(String line) {
        for (StreamClient<String> member : members) {
            try {
                member.send(line);                            // thread-safe: frames never interleave
            } catch (IOException e) {
                // that member is leaving (or its send queue is full): its own onDisconnection removes it
            }
        }
    }
}
// end::room-handler[]
