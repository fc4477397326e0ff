package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void findsTheFirstInvalidSequenceWithinTheRange() {
        byte[] bytes = {'a', (byte) 0xC3, (byte) 0xA9, (byte) 0xC0, (byte) 0xAF, 'b', (byte) 0xFF};

        assertThat(Utf8.invalidAt(bytes, 0, bytes.length)).isEqualTo(3);
        assertThat(Utf8.invalidAt(bytes, 0, 3)).isEqualTo(-1);
        assertThat(Utf8.invalidAt(bytes, 0, 2)).as("sequence cut by the end of the range").isEqualTo(1);
        assertThat(Utf8.invalidAt(bytes, 5, 7)).isEqualTo(6);
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(7);
        byte[] alphabet = {'a', (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF,
            (byte) 0xC0, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4,
            (byte) 0xF5, (byte) 0xFF};
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(6)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = alphabet[random.nextInt(alphabet.length)];
            }
            assertThat(Utf8.invalidAt(bytes, 0, bytes.length) < 0).as("%s", HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkAccepts(bytes));
        }
    }

    @Test
    void findsAnInvalidByteAndAcceptsAValidSequenceAtEveryPositionOfAnAsciiRun() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) 0x7F);
                bytes[at] = (byte) 0x80;
                assertThat(Utf8.invalidAt(bytes, 0, length)).as("length %d, at %d", length, at).isEqualTo(at);
                assertThat(Utf8.invalidAt(bytes, 0, at)).isEqualTo(-1);
                if (at + 1 < length) {
                    bytes[at] = (byte) 0xC3;
                    bytes[at + 1] = (byte) 0xA9;
                    assertThat(Utf8.invalidAt(bytes, 0, length)).as("é at %d of %d", at, length).isEqualTo(-1);
                    assertThat(Utf8.invalidAt(bytes, 0, at + 1)).isEqualTo(at);
                }
            }
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
