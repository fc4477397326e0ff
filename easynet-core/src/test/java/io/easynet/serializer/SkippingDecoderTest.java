package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StreamDecoder#isSkipping()}: every decoder that skips the rest of a packet it refused as too large says so,
 * and stops right at that packet's end, so that a connection can close the descriptors that came with its bytes
 * instead of handing them to the next packet.
 */
class SkippingDecoderTest {

    private static final int LIMIT = 16;

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of("lines", new LineSerializer().newDecoder(LIMIT),
                        ascii("x".repeat(LIMIT + 4)), ascii("rest of it\n"), ascii("next\n")),
                Arguments.of("JSON documents", JsonSerializer.builder(Object.class).useLines(false).build()
                        .newDecoder(LIMIT), ascii("[\"" + "x".repeat(LIMIT + 4)), ascii("rest of it\"]"),
                        ascii("\"next\"")),
                Arguments.of("length prefix", LengthPrefixedSerializer.INSTANCE.newDecoder(LIMIT),
                        concat(new byte[] {0, 0, 0, LIMIT + 10}, new byte[8]), new byte[LIMIT + 2],
                        concat(new byte[] {0, 0, 0, 4}, ascii("next"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void aDecoderStopsAtTheEndOfTheRestOfARefusedPacketItSkipped(String framing, StreamDecoder<?> decoder,
            byte[] tooLarge, byte[] rest, byte[] next) throws Exception {
        List<Object> sunk = new ArrayList<>();
        ByteBuffer start = ByteBuffer.wrap(tooLarge);
        assertThat(decoder.isSkipping()).isFalse();
        assertThatThrownBy(() -> decoder.decode(start, sunk::add)).isInstanceOf(StreamProtocolParseException.class)
                .extracting(e -> ((StreamProtocolParseException) e).reason()).isEqualTo(Reason.PACKET_TOO_LARGE);
        assertThat(decoder.isSkipping()).as("skipping the rest of the refused packet").isTrue();

        ByteBuffer buffer = ByteBuffer.wrap(concat(Arrays.copyOfRange(tooLarge, start.position(), tooLarge.length),
                rest, next));
        assertThat(decoder.decode(buffer, sunk::add)).as("stops at the end of the refused packet").isFalse();

        assertThat(decoder.isSkipping()).isFalse();
        assertThat(buffer.remaining()).as("the next packet's bytes are left").isEqualTo(next.length);
        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).hasSize(1);
        assertThat(decoder.isSkipping()).isFalse();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
