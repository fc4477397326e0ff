package io.easynet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The default maxConnections leaves a tenth of the open-files limit (at least 256) to the rest of the process. */
class OpenFilesLimitTest {

    @Test
    void theDefaultLeavesATenthOfTheLimitOrAtLeast256ForTheRestOfTheProcess() {
        assertThat(OpenFilesLimit.maxConnectionsFor(1_024)).isEqualTo(768);
        assertThat(OpenFilesLimit.maxConnectionsFor(2_560)).isEqualTo(2_304);
        assertThat(OpenFilesLimit.maxConnectionsFor(20_000)).isEqualTo(18_000);
        assertThat(OpenFilesLimit.maxConnectionsFor(65_536)).isEqualTo(58_983);
        assertThat(OpenFilesLimit.maxConnectionsFor(1_048_576)).isEqualTo(943_719);
    }

    @Test
    void aSmallLimitKeepsHalfForTheRestOfTheProcessAndAnUnknownOneNoLimit() {
        assertThat(OpenFilesLimit.maxConnectionsFor(256)).isEqualTo(128);
        assertThat(OpenFilesLimit.maxConnectionsFor(1)).isEqualTo(1);
        assertThat(OpenFilesLimit.maxConnectionsFor(0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(OpenFilesLimit.maxConnectionsFor(-1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(OpenFilesLimit.maxConnectionsFor(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theDefaultOptionsTakeItFromThisProcesssLimitAndAnExplicitSettingWins() {
        long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertThat(ServerOptions.defaults().maxConnections()).isEqualTo(OpenFilesLimit.maxConnectionsFor(limit));
        assertThat(ServerOptions.builder().maxConnections(Integer.MAX_VALUE).build().maxConnections())
                .isEqualTo(Integer.MAX_VALUE);
    }
}
