package io.easynet.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AdaptiveReadSize}: starts small, grows fast when reads fill it, shrinks slowly when they do not. */
class AdaptiveReadSizeTest {

    private static final int MAX = 16 * 1024;

    @Test
    void startsAtTheInitialSizeOrTheMaximumIfThatIsSmaller() {
        assertThat(new AdaptiveReadSize(MAX).next()).isEqualTo(AdaptiveReadSize.INITIAL);
        assertThat(new AdaptiveReadSize(100).next()).isEqualTo(100);
    }

    @Test
    void aReadThatFillsItGrowsItEightfoldUpToTheMaximum() {
        var size = new AdaptiveReadSize(MAX);

        size.record(1024, 1024);
        assertThat(size.next()).isEqualTo(8 * 1024);
        size.record(8 * 1024, 8 * 1024);
        assertThat(size.next()).isEqualTo(MAX);
        size.record(MAX, MAX);
        assertThat(size.next()).isEqualTo(MAX);
    }

    @Test
    void twoSmallReadsInARowHalveItDownToTheMinimum() {
        var size = new AdaptiveReadSize(MAX);

        size.record(1024, 10);
        assertThat(size.next()).as("one small read is not enough").isEqualTo(1024);
        size.record(1024, 10);
        assertThat(size.next()).isEqualTo(512);
        for (int i = 0; i < 20; i++) {
            size.record(size.next(), 10);
        }
        assertThat(size.next()).isEqualTo(AdaptiveReadSize.MINIMUM);
    }

    @Test
    void aSteadyStreamOfReadsSettlesOnOneSizeInsteadOfOscillating() {
        var size = new AdaptiveReadSize(16 * 1024);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            size.record(size.next(), Math.min(size.next(), 64));
            sizes.add(size.next());
        }

        // 1024, 512, 256, then 128, where 64-byte reads are exactly half: no more halving, so no reallocation
        assertThat(sizes.subList(8, 40)).containsOnly(128);
    }

    @Test
    void aReadOfMoreThanHalfBetweenTwoSmallOnesKeepsIt() {
        var size = new AdaptiveReadSize(MAX);

        size.record(1024, 10);
        size.record(1024, 600);
        size.record(1024, 10);
        assertThat(size.next()).isEqualTo(1024);
    }

    @Test
    void aFilledReadThatAskedForLessThanHalfForLackOfRoomChangesNothing() {
        var size = new AdaptiveReadSize(MAX);

        size.record(100, 100);
        assertThat(size.next()).isEqualTo(1024);
        size.record(600, 600);
        assertThat(size.next()).as("more than half: more is waiting").isEqualTo(8 * 1024);
    }

    @Test
    void aMaximumBelowTheMinimumIsTheOnlySize() {
        var size = new AdaptiveReadSize(16);

        size.record(16, 1);
        size.record(16, 1);
        assertThat(size.next()).isEqualTo(16);
        size.record(16, 16);
        assertThat(size.next()).isEqualTo(16);
    }

    @Test
    void aMaximumThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new AdaptiveReadSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maximum must be positive, got 0");
    }
}
