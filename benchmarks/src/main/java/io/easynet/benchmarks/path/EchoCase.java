package io.easynet.benchmarks.path;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.RawSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an echo benchmark sends: a protocol and one request frame of exactly {@code size} bytes, framing included.
 *
 * @param protocol the server's protocol, which echoes the packet type it receives
 * @param request the framed bytes of one request
 * @param <T> the packet type
 */
record EchoCase<T>(StreamProtocol<T, T> protocol, byte[] request) {

    /**
     * The case of {@code serializer}: {@code raw} (bytes, a read is a packet), {@code line} (a UTF-8 line) or
     * {@code json} (a JSON object on one line, {@code {"data":"xxx..."}}, decoded as a tree).
     */
    static EchoCase<?> of(String serializer, int size) {
        return switch (serializer) {
            case "raw" -> new EchoCase<>(StreamProtocol.of(RawSerializer.INSTANCE), filled(size));
            case "line" -> new EchoCase<>(StreamProtocol.of(new LineSerializer()), line(filled(size - 1)));
            case "json" -> new EchoCase<>(StreamProtocol.of(JsonSerializer.tree()), line(json(size - 1)));
            default -> throw new IllegalArgumentException("unknown serializer " + serializer);
        };
    }

    /** How many bytes an echo server writes back for the request: its packet decoded and encoded again. */
    int responseSize() {
        List<T> packets = new ArrayList<>();
        try (StreamDecoder<T> decoder = protocol.newDecoder(request.length)) {
            if (!decoder.decode(ByteBuffer.wrap(request), packets::add)) {
                throw new IllegalStateException("the request is not one whole packet");
            }
        } catch (StreamProtocolParseException e) {
            throw new IllegalStateException("the request does not decode", e);
        }
        PacketBuffer buffer = new PacketBuffer(request.length);
        protocol.encode(packets.getFirst(), buffer);
        return buffer.size();
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private static byte[] json(int size) {
        String prefix = "{\"data\":\"";
        String suffix = "\"}";
        int padding = size - prefix.length() - suffix.length();
        if (padding < 0) {
            throw new IllegalArgumentException("a JSON request needs at least " + (size - padding) + " bytes");
        }
        return (prefix + "x".repeat(padding) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] line(byte[] text) {
        byte[] framed = Arrays.copyOf(text, text.length + 1);
        framed[text.length] = '\n';
        return framed;
    }
}
