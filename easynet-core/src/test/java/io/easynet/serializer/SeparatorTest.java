package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeparatorTest {

    @Test
    void findsTheFirstSeparatorAtEveryPositionWithinTheRangeWhateverTheBytesAroundIt() {
        byte[] separator = {'\n'};
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] array = new byte[length + 2];
                for (int i = 0; i < array.length; i++) {
                    // every byte value but the newline, those that differ from it by one bit among them
                    int filler = (i * 37 + at) % 255;
                    array[i] = (byte) (filler >= '\n' ? filler + 1 : filler);
                }
                array[0] = '\n'; // before the range: not seen
                array[1 + at] = '\n';

                assertThat(Separator.indexOf(separator, array, 1, 1 + length)).as("length %d, at %d", length, at)
                        .isEqualTo(1 + at);
                assertThat(Separator.indexOf(separator, array, 1, 1 + at)).isEqualTo(-1);
            }
        }
    }

    @Test
    void matchesTheWholeSeparatorAndOnlyWithinTheRange() {
        byte[] array = "a\r\r\rbcdefghij\r\nk\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = {'\r', '\n'};

        assertThat(Separator.indexOf(crlf, array, 0, array.length)).isEqualTo(13);
        assertThat(Separator.indexOf(crlf, array, 14, array.length)).isEqualTo(16);
        assertThat(Separator.indexOf(crlf, array, 0, 14)).as("cut by the end of the range").isEqualTo(-1);
    }
}
