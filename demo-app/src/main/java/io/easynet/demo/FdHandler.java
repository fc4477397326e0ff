package io.easynet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import io.easynet.transport.Ancillary;
import io.easynet.transport.FileDescriptors;
import io.easynet.transport.PeerCredentials;
import io.easynet.transport.Received;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The {@code fd} server: file descriptors and peer credentials over the socket. {@code {"op":"whoami"}} answers the
 * peer's pid, uid and gid; {@code {"op":"digest"}} sent with descriptors answers the SHA-256 of everything readable
 * from each; {@code {"op":"open","name":"x"}} answers {@code {"ok":true}} with a descriptor attached whose content
 * is {@code hello x\n}. Anything else gets {@code {"error":"<message>"}} and the connection stays open.
 *
 * <p>{@code digest} reads the descriptors of one request to their ends, at most {@value #MAX_DIGESTED_BYTES} bytes
 * for all of them together (so {@code /dev/zero}, or 253 descriptors of large files, get an error, not a server busy
 * hashing gigabytes for a few bytes sent), and hashes on {@link DigestThreads}, never on the virtual threads' carriers,
 * so that echo and counter keep answering meanwhile. A pipe whose write end the client keeps open blocks that client's
 * own request until it closes it; other clients are served meanwhile.
 */
@Component
@UnixStreamHandler("fd")
class FdHandler implements StreamRequestHandler<JsonNode, JsonNode> {

    /** The most {@code digest} reads for one request, from all its descriptors together: 64 MiB. */
    static final long MAX_DIGESTED_BYTES = 64L * 1024 * 1024;

    /** How much is read and hashed at a time: large enough that handing it to a hashing thread costs little. */
    private static final int CHUNK = 256 * 1024;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final DigestThreads digestThreads;

    FdHandler(DigestThreads digestThreads) {
        this.digestThreads = digestThreads;
    }

    @Override
    public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
        Received<JsonNode> received;
        try {
            received = requests.receiveWithAncillary();
        } catch (StreamProtocolParseException e) {
            client.send(error(e.getMessage()));
            return;
        }
        try (FileDescriptors descriptors = received.descriptors()) {
            JsonNode request = received.packet();
            String op = request.path("op").asString("");
            switch (op) {
                case "whoami" -> client.send(whoAmI(client.peerCredentials()));
                case "digest" -> client.send(digests(descriptors));
                case "open" -> open(client, request.path("name"));
                default -> client.send(error("unknown op " + request.path("op") + ": expected \"whoami\", "
                        + "\"digest\" or \"open\""));
            }
        }
    }

    private static ObjectNode whoAmI(PeerCredentials peer) {
        return JSON.objectNode().put("pid", peer.pid()).put("uid", peer.uid()).put("gid", peer.gid());
    }

    private JsonNode digests(FileDescriptors descriptors) throws IOException {
        if (descriptors.isEmpty()) {
            return error("digest needs one or more file descriptors sent with the request (SCM_RIGHTS)");
        }
        ArrayNode digests = JSON.arrayNode();
        byte[] chunk = new byte[CHUNK];
        long budget = MAX_DIGESTED_BYTES;
        for (int i = 0; i < descriptors.size(); i++) {
            MessageDigest digest = sha256();
            try (InputStream in = descriptors.takeInputStream(i)) {
                for (int read; (read = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
                    budget -= read;
                    if (budget < 0) {
                        return error("the descriptors sent have more than " + MAX_DIGESTED_BYTES + " bytes to read "
                                + "(passed in descriptor " + i + "); digest reads at most that much per request, all "
                                + "descriptors together");
                    }
                    digestThreads.update(digest, chunk, read);
                }
            }
            digests.add(HexFormat.of().formatHex(digest.digest()));
        }
        return JSON.objectNode().set("digests", digests);
    }

    private static void open(StreamClient<JsonNode> client, JsonNode name) throws IOException {
        if (!name.isString()) {
            client.send(error("open needs a \"name\" string"));
            return;
        }
        Path file = Files.createTempFile("easynet-demo-open-", ".txt");
        try {
            Files.writeString(file, "hello " + name.asString() + "\n", StandardCharsets.UTF_8);
            try (var in = new java.io.FileInputStream(file.toFile())) {
                client.sendWithAncillary(JSON.objectNode().put("ok", true), Ancillary.rights(in.getFD()));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static ObjectNode error(String message) {
        return JSON.objectNode().put("error", message);
    }
}
