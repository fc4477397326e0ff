package io.easynet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacketBufferTest {

    @Test
    void startsEmptyWithTheInitialCapacity() {
        PacketBuffer buffer = new PacketBuffer(10);

        assertThat(buffer.size()).isZero();
        assertThat(buffer.capacity()).isEqualTo(10);
        assertThat(buffer.toByteArray()).isEmpty();
    }

    @Test
    void negativeInitialCapacityIsRefused() {
        assertThatThrownBy(() -> new PacketBuffer(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialCapacity must not be negative, got -1");
    }

    @Test
    void writeOfOneByteKeepsItsLowEightBits() {
        PacketBuffer buffer = new PacketBuffer(4);

        buffer.write(0x1ff);
        buffer.write(-1);
        buffer.write('a');

        assertThat(buffer.toByteArray()).containsExactly(0xff, 0xff, 'a');
    }

    @Test
    void emptyBufferGrowsToAtLeast64Bytes() {
        PacketBuffer buffer = new PacketBuffer(0);

        buffer.write(1);

        assertThat(buffer.capacity()).isEqualTo(64);
        assertThat(buffer.toByteArray()).containsExactly(1);
    }

    @Test
    void growsByDoublingAndKeepsTheWrittenBytes() {
        PacketBuffer buffer = new PacketBuffer(100);
        byte[] first = ascii("x".repeat(100));

        buffer.write(first, 0, first.length);
        assertThat(buffer.capacity()).as("filling it exactly does not grow it").isEqualTo(100);
        buffer.write('y');

        assertThat(buffer.capacity()).isEqualTo(200);
        assertThat(buffer.size()).isEqualTo(101);
        assertThat(buffer.toByteArray()).isEqualTo(ascii("x".repeat(100) + "y"));
    }

    @Test
    void growsStraightToTheRequiredSizeWhenDoublingIsNotEnough() {
        PacketBuffer buffer = new PacketBuffer(10);
        buffer.write('a');
        byte[] big = new byte[1000];

        buffer.write(big, 0, big.length);

        assertThat(buffer.capacity()).isEqualTo(1001);
        assertThat(buffer.size()).isEqualTo(1001);
    }

    @Test
    void writesASliceOfAnArray() {
        PacketBuffer buffer = new PacketBuffer(4);

        buffer.write(ascii("abcdef"), 2, 3);

        assertThat(buffer.toByteArray()).isEqualTo(ascii("cde"));
    }

    @Test
    void outOfBoundsArraySliceIsRefusedAndWritesNothing() {
        PacketBuffer buffer = new PacketBuffer(4);
        buffer.write('a');

        assertThatThrownBy(() -> buffer.write(ascii("abc"), 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.write(ascii("abc"), -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);

        assertThat(buffer.toByteArray()).containsExactly('a');
    }

    @Test
    void writeOfAByteBufferAppendsItsReadableBytesAndConsumesThem() {
        PacketBuffer buffer = new PacketBuffer(2);
        buffer.write('>');
        ByteBuffer heap = ByteBuffer.wrap(ascii("0123456789")).position(2).limit(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(4).put(ascii("wxyz")).flip();

        buffer.write(heap);
        buffer.write(direct);

        assertThat(buffer.toByteArray()).isEqualTo(ascii(">234wxyz"));
        assertThat(heap.position()).isEqualTo(5);
        assertThat(heap.hasRemaining()).isFalse();
        assertThat(direct.hasRemaining()).isFalse();
    }

    @Test
    void truncateCutsBackToAnEarlierSize() {
        PacketBuffer buffer = new PacketBuffer(8);
        buffer.write(ascii("abcdef"), 0, 6);

        buffer.truncate(6);
        assertThat(buffer.toByteArray()).isEqualTo(ascii("abcdef"));
        buffer.truncate(3);
        assertThat(buffer.toByteArray()).isEqualTo(ascii("abc"));
        buffer.write('Z');
        assertThat(buffer.toByteArray()).isEqualTo(ascii("abcZ"));
        buffer.truncate(0);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void truncateCannotGrowOrGoNegative() {
        PacketBuffer buffer = new PacketBuffer(8);
        buffer.write(ascii("abc"), 0, 3);

        assertThatThrownBy(() -> buffer.truncate(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.truncate(-1)).isInstanceOf(IndexOutOfBoundsException.class);

        assertThat(buffer.toByteArray()).isEqualTo(ascii("abc"));
    }

    @Test
    void setOverwritesAWrittenByteOnly() {
        PacketBuffer buffer = new PacketBuffer(8);
        buffer.write(ascii("abc"), 0, 3);

        buffer.set(1, (byte) 'B');

        assertThat(buffer.toByteArray()).isEqualTo(ascii("aBc"));
        assertThatThrownBy(() -> buffer.set(3, (byte) 'x')).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(buffer.size()).isEqualTo(3);
    }

    @Test
    void asByteBufferIsAReadOnlyViewOfTheWrittenBytes() {
        PacketBuffer buffer = new PacketBuffer(16);
        buffer.write(ascii("hello"), 0, 5);

        ByteBuffer view = buffer.asByteBuffer();

        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.remaining()).isEqualTo(5);
        byte[] read = new byte[5];
        view.duplicate().get(read);
        assertThat(read).isEqualTo(ascii("hello"));
        assertThatThrownBy(() -> view.put(0, (byte) 'j')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(view.hasArray()).as("the backing array is not exposed").isFalse();

        buffer.set(0, (byte) 'j');
        assertThat(view.get(0)).as("a view, not a copy").isEqualTo((byte) 'j');
    }

    @Test
    void readViewIsOneReusedReadOnlyViewRepositionedOnTheWrittenBytes() {
        PacketBuffer buffer = new PacketBuffer(16);
        buffer.write(ascii("hello"), 0, 5);
        ByteBuffer first = buffer.readView();
        first.get(new byte[3]);

        buffer.reset();
        buffer.write(ascii("hi"), 0, 2);
        ByteBuffer second = buffer.readView();

        assertThat(second).isSameAs(first);
        assertThat(second.isReadOnly()).isTrue();
        assertThat(second.position()).isZero();
        assertThat(second.remaining()).isEqualTo(2);
        assertThat(second.get(0)).isEqualTo((byte) 'h');
        assertThatThrownBy(() -> second.put(0, (byte) 'j')).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void readViewFollowsTheStorageWhenItGrowsOrShrinks() {
        PacketBuffer buffer = new PacketBuffer(2);
        ByteBuffer small = buffer.readView();

        buffer.write(ascii("hello"), 0, 5);
        ByteBuffer grown = buffer.readView();
        assertThat(grown).isNotSameAs(small);
        byte[] read = new byte[5];
        grown.get(read);
        assertThat(read).isEqualTo(ascii("hello"));

        buffer.reset(2);
        buffer.write(ascii("ok"), 0, 2);
        ByteBuffer shrunk = buffer.readView();
        assertThat(shrunk).isNotSameAs(grown);
        assertThat(shrunk.remaining()).isEqualTo(2);
        assertThat(shrunk.get(1)).isEqualTo((byte) 'k');
    }

    @Test
    void toByteArrayIsACopy() {
        PacketBuffer buffer = new PacketBuffer(4);
        buffer.write('a');

        byte[] copy = buffer.toByteArray();
        copy[0] = 'z';

        assertThat(buffer.toByteArray()).containsExactly('a');
    }

    @Test
    void resetForgetsTheBytesAndKeepsTheStorage() {
        PacketBuffer buffer = new PacketBuffer(4);
        buffer.write(new byte[500], 0, 500);
        int grown = buffer.capacity();

        buffer.reset();

        assertThat(buffer.size()).isZero();
        assertThat(buffer.capacity()).isEqualTo(grown);
    }

    @Test
    void resetWithACapacityShrinksStorageThatGrewBeyondIt() {
        PacketBuffer buffer = new PacketBuffer(256);
        buffer.write(new byte[10_000], 0, 10_000);
        assertThat(buffer.capacity()).isGreaterThanOrEqualTo(10_000);

        buffer.reset(256);

        assertThat(buffer.size()).isZero();
        assertThat(buffer.capacity()).isEqualTo(256);
        buffer.write(ascii("again"), 0, 5);
        assertThat(buffer.toByteArray()).isEqualTo(ascii("again"));
    }

    @Test
    void resetWithALargerCapacityKeepsTheSmallerStorage() {
        PacketBuffer buffer = new PacketBuffer(32);
        buffer.write('a');

        buffer.reset(1024);

        assertThat(buffer.size()).isZero();
        assertThat(buffer.capacity()).isEqualTo(32);
    }

    @Test
    void closingAsAnOutputStreamChangesNothing() throws Exception {
        PacketBuffer buffer = new PacketBuffer(4);
        buffer.write('a');

        buffer.close();
        buffer.write('b');

        assertThat(buffer.toByteArray()).containsExactly('a', 'b');
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void indexOfFindsTheFirstOccurrenceAtEveryPositionWhateverTheBytesAroundIt() {
        for (int size = 1; size <= 40; size++) {
            for (int at = 0; at < size; at++) {
                PacketBuffer buffer = new PacketBuffer(0);
                for (int i = 0; i < size; i++) {
                    // every byte value but the newline, those that differ from it by one bit among them
                    int filler = (i * 37 + at) % 255;
                    buffer.write(filler >= '\n' ? filler + 1 : filler);
                }
                buffer.set(at, (byte) '\n');
                if (at + 3 < size) {
                    buffer.set(at + 3, (byte) '\n');
                }

                assertThat(buffer.indexOf(new byte[] {'\n'}, 0)).as("size %d, at %d", size, at).isEqualTo(at);
                assertThat(buffer.indexOf(new byte[] {'\n'}, at + 1)).as("size %d, after %d", size, at)
                        .isEqualTo(at + 3 < size ? at + 3 : -1);
            }
        }
    }

    @Test
    void indexOfMatchesTheWholeSequenceNotJustItsFirstByte() {
        PacketBuffer buffer = new PacketBuffer(0);
        byte[] bytes = "a\rb\r\r\ncdefghijk\r\n".getBytes(StandardCharsets.US_ASCII);
        buffer.write(bytes, 0, bytes.length);

        assertThat(buffer.indexOf(new byte[] {'\r', '\n'}, 0)).isEqualTo(4);
        assertThat(buffer.indexOf(new byte[] {'\r', '\n'}, 5)).isEqualTo(15);
        assertThat(buffer.indexOf(new byte[] {'\n', 'x'}, 0)).isEqualTo(-1);
        assertThat(buffer.indexOf(new byte[0], 3)).isEqualTo(3);
    }
}
