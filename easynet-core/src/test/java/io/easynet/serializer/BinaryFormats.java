package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import java.util.HexFormat;

/** Helpers for the tests of the binary serializers: hex in and out, and both forms of encoding checked alike. */
final class BinaryFormats {

    private static final HexFormat HEX = HexFormat.of();

    private BinaryFormats() {
    }

    /** The stream encoding of {@code value}, checked to equal its one-shot encoding. */
    static <T> byte[] encode(JacksonBinarySerializer<T> serializer, T value) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(value, out);
        byte[] bytes = out.toByteArray();
        assertThat(serializer.serialize(value)).isEqualTo(bytes);
        return bytes;
    }

    /** Deserializes the bytes {@code hex} spells, from the middle of a larger array. */
    static <T> T oneShot(JacksonBinarySerializer<T> serializer, String hex) throws DeserializeException {
        byte[] bytes = HEX.parseHex("ee" + hex + "ee");
        return serializer.deserialize(bytes, 1, bytes.length - 2);
    }

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        PacketBuffer out = new PacketBuffer(0);
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
