package io.easynet.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

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

                assertThat(ByteSearch.indexOf(array, 1, 1 + length, separator)).as("length %d, at %d", length, at)
                        .isEqualTo(1 + at);
                assertThat(ByteSearch.indexOf(array, 1, 1 + at, separator)).isEqualTo(-1);
            }
        }
    }

    @Test
    void matchesTheWholeSeparatorAndOnlyWithinTheRange() {
        byte[] array = "a\r\r\rbcdefghij\r\nk\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = {'\r', '\n'};

        assertThat(ByteSearch.indexOf(array, 0, array.length, crlf)).isEqualTo(13);
        assertThat(ByteSearch.indexOf(array, 14, array.length, crlf)).isEqualTo(16);
        assertThat(ByteSearch.indexOf(array, 0, 14, crlf)).as("cut by the end of the range").isEqualTo(-1);
    }

    @Test
    void anEmptySequenceIsFoundWhereTheSearchStarts() {
        assertThat(ByteSearch.indexOf(new byte[4], 2, 4, new byte[0])).isEqualTo(2);
    }
}
