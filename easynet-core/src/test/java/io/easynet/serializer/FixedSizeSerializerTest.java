package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The extension base for fixed-size packets, with a user-style serializer of two big-endian ints. */
class FixedSizeSerializerTest {

    record Point(int x, int y) {
    }

    /** Points as two big-endian ints; a negative x is refused, to have invalid packets. */
    static final class PointSerializer extends FixedSizeSerializer<Point> {

        PointSerializer() {
            super(8);
        }

        @Override
        public byte[] serialize(Point point) {
            return ByteBuffer.allocate(8).putInt(point.x()).putInt(point.y()).array();
        }

        @Override
        public Point deserialize(byte[] data, int offset, int length) throws DeserializeException {
            ByteBuffer in = ByteBuffer.wrap(data, offset, length);
            Point point = new Point(in.getInt(), in.getInt());
            if (point.x() < 0) {
                throw new DeserializeException("x must not be negative, got " + point.x());
            }
            return point;
        }
    }

    private static final PointSerializer POINTS = new PointSerializer();

    @Test
    void packetsAreWrittenBackToBackWithoutFraming() {
        assertThat(RandomStreams.encodeAll(POINTS, new Point(1, 2), new Point(0x01020304, -1)))
                .containsExactly(0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff);
    }

    @Test
    void serializedBytesOfTheWrongSizeAreRefusedWithNothingWritten() {
        FixedSizeSerializer<String> broken = new FixedSizeSerializer<>(4) {
            @Override
            public byte[] serialize(String packet) {
                return packet.getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public String deserialize(byte[] data, int offset, int length) {
                return "";
            }
        };
        PacketBuffer out = new PacketBuffer(0);

        assertThatThrownBy(() -> broken.encode("five!", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" serialized a packet to 5 bytes where its packets are exactly 4 bytes");
        assertThatThrownBy(() -> broken.encode("abc", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" serialized a packet to 3 bytes where its packets are exactly 4 bytes");
        assertThat(out.size()).isZero();
    }

    @Test
    void packetsAreCutEverySizeBytesAndAPartialOneIsKept() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(POINTS.newDecoder(64));

        assertThat(feeder.feed(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0})).containsExactly(packet(new Point(1,
                2)));
        assertThat(feeder.buffered()).isEqualTo(5);
        assertThat(feeder.feed(new byte[] {0, 0, 4})).containsExactly(packet(new Point(3, 4)));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void packetFedByteByByteDecodesOnce() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(POINTS.newDecoder(64));

        assertThat(feeder.feedByteByByte(POINTS.serialize(new Point(7, -7)))).containsExactly(packet(new Point(7, -7)));
    }

    @Test
    void deserializeErrorIsInvalidPacketAtItsOffsetAndTheNextPacketDecodes() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(POINTS.newDecoder(64));
        byte[] stream = RandomStreams.encodeAll(POINTS, new Point(1, 1), new Point(-5, 0), new Point(2, 2));

        assertThat(feeder.feed(stream)).containsExactly(packet(new Point(1, 1)), failure(Reason.INVALID_PACKET, 8),
                packet(new Point(2, 2)));
        assertThat(feeder.failures().getFirst())
                .hasMessage("x must not be negative, got -5 (packet at stream offset 8)");
    }

    @Test
    void packetsLargerThanTheLimitAreReportedWhenTheirFirstByteArrivesAndSkipped() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(POINTS.newDecoder(7));

        assertThat(feeder.feed(new byte[] {1, 2, 3})).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed(new byte[] {4, 5, 6, 7, 8, 9})).containsExactly(failure(Reason.PACKET_TOO_LARGE, 8));
        assertThat(feeder.failures().getFirst())
                .hasMessage("packet of 8 bytes is larger than the 7-byte limit; skipped (packet at stream offset 0)");
    }

    @Test
    void nonPositiveSizeOrLimitIsRefused() {
        assertThatThrownBy(() -> new FixedSizeSerializer<String>(0) {
            @Override
            public byte[] serialize(String packet) {
                return new byte[0];
            }

            @Override
            public String deserialize(byte[] data, int offset, int length) {
                return "";
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessage("size must be positive, got 0");
        assertThatThrownBy(() -> POINTS.newDecoder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void anyPacketsSplitAnywhereDecodeToTheSamePacketsAndBadOnesDoNotDisturbTheOthers(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            List<Point> points = new ArrayList<>();
            List<DecoderFeeder.Outcome> expected = new ArrayList<>();
            for (int i = random.nextInt(50); i > 0; i--) {
                Point point = new Point(random.nextInt(), random.nextInt());
                points.add(point);
                expected.add(point.x() < 0 ? failure(Reason.INVALID_PACKET, 8L * (points.size() - 1)) : packet(point));
            }

            assertThat(RandomStreams.feedInRandomChunks(POINTS.newDecoder(8), RandomStreams.encodeAll(POINTS, points),
                    random, 8)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {3, 8})
    void garbageOnlyYieldsParseErrors(int limit) {
        Random random = new Random(limit);
        for (int round = 0; round < 20; round++) {
            RandomStreams.feedGarbage(POINTS.newDecoder(limit), random, 2000, 8);
        }
    }
}
