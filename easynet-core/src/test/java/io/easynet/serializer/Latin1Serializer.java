package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Any bytes as a string, one char per byte, so that packets of arbitrary binary content compare with
 * {@code equals}. A packet that starts with {@code '!'} is refused, to test what a wrapper does when its inner
 * serializer refuses the bytes.
 */
final class Latin1Serializer implements PacketSerializer<String> {

    static final Latin1Serializer INSTANCE = new Latin1Serializer();

    private Latin1Serializer() {
    }

    @Override
    public byte[] serialize(String packet) {
        return packet.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String deserialize(byte[] data, int offset, int length) throws DeserializeException {
        if (length > 0 && data[offset] == '!') {
            throw new DeserializeException("packet starts with '!'");
        }
        return new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** A random packet of {@code length} bytes: compressible text when {@code text}, otherwise noise. */
    static String random(Random random, int length, boolean text) {
        StringBuilder packet = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = text ? "abc {}\":,0123".charAt(random.nextInt(13)) : (char) random.nextInt(256);
            packet.append(i == 0 && c == '!' ? '?' : c);
        }
        return packet.toString();
    }
}
