package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthPrefixedSerializerTest {

    private static final LengthPrefixedSerializer SERIALIZER = LengthPrefixedSerializer.INSTANCE;

    private static final int KIB_64 = 64 * 1024;

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void encodesAFourByteBigEndianLengthThenTheBody() {
        assertThat(encode("hi".getBytes(StandardCharsets.US_ASCII))).containsExactly(0, 0, 0, 2, 'h', 'i');

        byte[] body = new byte[0x01_02_03];
        Arrays.fill(body, (byte) 7);
        byte[] encoded = encode(body);
        assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0x00, 0x01, 0x02, 0x03);
        assertThat(Arrays.copyOfRange(encoded, 4, encoded.length)).isEqualTo(body);
    }

    @Test
    void encodesAZeroLengthFrameAsFourZeroBytes() {
        assertThat(encode(new byte[0])).containsExactly(0, 0, 0, 0);
    }

    @Test
    void lengthBytesAbove0x7fAreWrittenAsUnsignedBytes() {
        byte[] body = new byte[0xff_80];
        assertThat(Arrays.copyOf(encode(body), 4)).containsExactly(0x00, 0x00, 0xff, 0x80);
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    @Test
    void decodesFramesOneByOneFromOneChunk() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 1, 'z',
                0, 0, 0, 9, 'p'));

        assertThat(bodies(outcomes)).containsExactly("abc", "", "z");
        assertThat(feeder.buffered()).as("the partial frame is kept").isEqualTo(5);
    }

    @Test
    void zeroLengthFrameDecodesToAnEmptyPacket() throws Exception {
        StreamDecoder<byte[]> decoder = SERIALIZER.newDecoder(16);
        ByteBuffer buffer = ByteBuffer.wrap(bytes(0, 0, 0, 0, 0, 0));
        List<byte[]> sunk = new ArrayList<>();

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).singleElement().satisfies(body -> assertThat(body).isEmpty());
        assertThat(buffer.position()).isEqualTo(4);
        assertThat(decoder.decode(buffer, sunk::add)).as("two bytes are not a header yet").isFalse();
        assertThat(buffer.position()).isEqualTo(4);
    }

    @Test
    void frameSplitAcrossChunksDecodesOnceComplete() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));

        assertThat(feeder.feed(bytes(0, 0))).isEmpty();
        assertThat(feeder.feed(bytes(0, 5, 'h'))).isEmpty();
        assertThat(feeder.feed(bytes('e', 'l', 'l'))).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(8);
        assertThat(bodies(feeder.feed(bytes('o', 0)))).containsExactly("hello");
        assertThat(feeder.buffered()).isEqualTo(1);
    }

    @Test
    void frameFedByteByByteDecodesExactlyOnce() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        List<DecoderFeeder.Outcome> outcomes = feeder.feedByteByByte(encode(body));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(DecoderFeeder.Packet.class,
                p -> assertThat((byte[]) p.value()).isEqualTo(body));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void frameOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(3));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 4, 'w', 'x', 'y',
                'z', 0, 0, 0, 1, '!'));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(1)).isEqualTo(failure(Reason.PACKET_TOO_LARGE, 7));
        assertThat(bodies(List.of(outcomes.get(0), outcomes.get(2)))).containsExactly("abc", "!");
        assertThat(feeder.failures().getFirst()).hasMessage("frame of 4 bytes is larger than the 3-byte limit; its "
                + "body is skipped (packet at stream offset 7)");
    }

    @Test
    void lengthOf2Pow31IsTooLargeRightAfterTheHeaderWithoutAllocatingIt() {
        assertHugeFrameIsRefusedFromItsHeaderAlone(bytes(0x80, 0, 0, 0), 2147483648L);
    }

    @Test
    void lengthOf0xffffffffIsTooLargeRightAfterTheHeaderWithoutAllocatingIt() {
        assertHugeFrameIsRefusedFromItsHeaderAlone(bytes(0xff, 0xff, 0xff, 0xff), 4294967295L);
    }

    private static void assertHugeFrameIsRefusedFromItsHeaderAlone(byte[] header, long announced) {
        // Warm up once, so class loading and linkage of the error path do not count as the decoder's allocation.
        new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64)).feed(header);
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(KIB_64));
        feeder.feed(bytes(0, 0, 0, 1, 'k'));

        long allocatedBefore = threadAllocatedBytes();
        List<DecoderFeeder.Outcome> outcomes = feeder.feed(header);
        long allocated = threadAllocatedBytes() - allocatedBefore;

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 5));
        assertThat(feeder.failures().getFirst()).hasMessage("frame of " + announced + " bytes is larger than the "
                + "65536-byte limit; its body is skipped (packet at stream offset 5)");
        assertThat(allocated).as("bytes allocated while decoding the header").isLessThan(1024 * 1024);
        assertThat(feeder.buffered()).isZero();

        // The body is skipped as it arrives, without being buffered and without another report.
        byte[] chunk = new byte[100_000];
        Arrays.fill(chunk, (byte) 0xee);
        for (int i = 0; i < 5; i++) {
            assertThat(feeder.feed(chunk)).isEmpty();
            assertThat(feeder.buffered()).isZero();
        }
    }

    @Test
    void bodyOfATooLargeFrameIsSkippedAsItArrivesThenTheNextFrameDecodes() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(10));
        byte[] tooLarge = encode(new byte[100]);
        Arrays.fill(tooLarge, 4, tooLarge.length, (byte) 'x');

        assertThat(feeder.feed(Arrays.copyOfRange(tooLarge, 0, 34)))
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed(Arrays.copyOfRange(tooLarge, 34, 74))).isEmpty();
        assertThat(feeder.buffered()).isZero();

        byte[] rest = concat(Arrays.copyOfRange(tooLarge, 74, 104), encode("ok".getBytes(StandardCharsets.US_ASCII)));
        assertThat(bodies(feeder.feed(rest))).containsExactly("ok");
        // The refused frame took 104 bytes and "ok" 6: the next frame starts at 110.
        assertThat(feeder.feed(bytes(0, 0, 0, 11))).containsExactly(failure(Reason.PACKET_TOO_LARGE, 110));
        assertThat(feeder.failures()).extracting(Throwable::getMessage).containsExactly(
                "frame of 100 bytes is larger than the 10-byte limit; its body is skipped (packet at stream offset 0)",
                "frame of 11 bytes is larger than the 10-byte limit; its body is skipped (packet at stream offset 110)");
    }

    @Test
    void tooLargeFrameWhoseBodyArrivesWithTheHeaderIsSkippedInTheSameCall() {
        DecoderFeeder<byte[]> feeder = new DecoderFeeder<>(SERIALIZER.newDecoder(2));

        assertThat(bodies(feeder.feed(bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'o', 'k'))))
                .containsExactly("<" + failure(Reason.PACKET_TOO_LARGE, 0) + ">", "ok");
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void decodedPacketIsACopyNotAViewOfTheReceiveBuffer() throws Exception {
        byte[] wire = bytes(0, 0, 0, 2, 'a', 'b');
        List<byte[]> sunk = new ArrayList<>();

        SERIALIZER.newDecoder(16).decode(ByteBuffer.wrap(wire), sunk::add);
        wire[4] = 'X';

        assertThat(sunk.getFirst()).containsExactly('a', 'b');
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> SERIALIZER.newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static byte[] encode(byte[] body) {
        PacketBuffer out = new PacketBuffer(0);
        SERIALIZER.encode(body, out);
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static List<String> bodies(List<DecoderFeeder.Outcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome instanceof DecoderFeeder.Packet(Object value)
                ? new String((byte[]) value, StandardCharsets.US_ASCII)
                : "<" + outcome + ">").toList();
    }

    private static long threadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
