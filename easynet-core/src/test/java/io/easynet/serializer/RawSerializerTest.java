package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawSerializerTest {

    private static final RawSerializer SERIALIZER = RawSerializer.INSTANCE;

    @Test
    void encodesThePacketAsIsWithoutFraming() {
        PacketBuffer out = new PacketBuffer(0);

        SERIALIZER.encode(new byte[] {1, '\n', 0, (byte) 0xff}, out);
        SERIALIZER.encode(new byte[0], out);

        assertThat(out.toByteArray()).containsExactly(1, '\n', 0, 0xff);
    }

    @Test
    void eachDecodeReturnsEveryAvailableByte() throws Exception {
        StreamDecoder<byte[]> decoder = SERIALIZER.newDecoder(1024);
        ByteBuffer buffer = ByteBuffer.wrap(ascii("xxhello\nworld")).position(2);
        List<byte[]> sunk = new ArrayList<>();

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();

        assertThat(sunk).singleElement().satisfies(p -> assertThat(p).isEqualTo(ascii("hello\nworld")));
        assertThat(buffer.position()).isEqualTo(13);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void decodedPacketIsACopyNotAViewOfTheBuffer() throws Exception {
        byte[] array = ascii("abc");
        List<byte[]> sunk = new ArrayList<>();

        SERIALIZER.newDecoder(16).decode(ByteBuffer.wrap(array), sunk::add);
        array[0] = 'X';

        assertThat(sunk.getFirst()).isNotSameAs(array).containsExactly('a', 'b', 'c');
    }

    @Test
    void decodeIsCappedAtTheLimit() throws Exception {
        StreamDecoder<byte[]> decoder = SERIALIZER.newDecoder(4);
        ByteBuffer buffer = ByteBuffer.wrap(ascii("abcdefghij"));
        List<String> sunk = new ArrayList<>();

        while (decoder.decode(buffer, p -> sunk.add(new String(p, StandardCharsets.US_ASCII)))) {
            assertThat(sunk.size()).as("decodes before running dry").isLessThanOrEqualTo(3);
        }

        assertThat(sunk).containsExactly("abcd", "efgh", "ij");
        assertThat(buffer.position()).isEqualTo(10);
    }

    @Test
    void emptyBufferNeedsMoreBytesAndCallsNoSink() throws Exception {
        List<byte[]> sunk = new ArrayList<>();

        assertThat(SERIALIZER.newDecoder(4).decode(ByteBuffer.allocate(8).limit(0), sunk::add)).isFalse();

        assertThat(sunk).isEmpty();
    }

    @Test
    void honoursTheArrayOffsetOfASlicedBuffer() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(3));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(ascii("12345"));

        assertThat(outcomes).extracting(o -> new String((byte[]) ((DecoderFeeder.Packet) o).value(),
                StandardCharsets.US_ASCII)).containsExactly("123", "45");
    }

    @Test
    void decodesFromADirectBufferAsFromAHeapOne() throws Exception {
        StreamDecoder<byte[]> decoder = SERIALIZER.newDecoder(4);
        ByteBuffer buffer = ByteBuffer.allocateDirect(16).put(ascii("xxabcdef")).flip().position(2);
        List<String> sunk = new ArrayList<>();

        while (decoder.decode(buffer, p -> sunk.add(new String(p, StandardCharsets.US_ASCII)))) {
            assertThat(sunk.size()).as("decodes before running dry").isLessThanOrEqualTo(2);
        }

        assertThat(decoder.acceptsDirectBuffers()).isTrue();
        assertThat(sunk).containsExactly("abcd", "ef");
        assertThat(buffer.position()).isEqualTo(8);
    }

    @Test
    void theFrameOfAPacketIsThePacketItselfSoThatItIsWrittenWithoutACopy() {
        byte[] packet = ascii("as is");

        assertThat(SERIALIZER.frameOf(packet)).isSameAs(packet);
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> SERIALIZER.newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
