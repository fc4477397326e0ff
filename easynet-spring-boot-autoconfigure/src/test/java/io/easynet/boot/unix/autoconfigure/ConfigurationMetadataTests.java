package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import io.easynet.micrometer.PerClientMetrics;
import io.easynet.scheduler.SchedulerWatchdogOptions;
import io.easynet.server.ServerOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs read: every property described, and the defaults the core really uses. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescriptionAndTheDefaultsAreTheCoresOwn() throws Exception {
        Map<String, JsonNode> properties = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonMapper.shared().readTree(in).get("properties").forEach(p -> properties.put(p.get("name").asString(), p));
        }
        assertThat(properties).containsOnlyKeys("easynet.unix.servers", "easynet.unix.defaults.enabled",
                "easynet.unix.defaults.serializer", "easynet.unix.defaults.backlog", "easynet.unix.defaults.mode",
                "easynet.unix.defaults.max-connections", "easynet.unix.defaults.max-packet-size",
                "easynet.unix.defaults.receive-buffer-size", "easynet.unix.defaults.receive-timeout",
                "easynet.unix.defaults.idle-timeout", "easynet.unix.defaults.log-client-connections",
                "easynet.unix.defaults.shutdown.grace-period", "easynet.unix.defaults.metrics.per-client",
                "easynet.unix.defaults.metrics.per-client-limit", "easynet.unix.defaults.group",
                "easynet.unix.defaults.ancillary-buffer-size", "easynet.unix.defaults.peer-credentials",
                "easynet.unix.defaults.access.allowed-uids", "easynet.unix.defaults.access.allowed-gids",
                "easynet.unix.defaults.access.same-user", "easynet.unix.defaults.send-timeout",
                "easynet.unix.defaults.max-queued-sends", "easynet.unix.defaults.min-receive-rate.rate",
                "easynet.unix.defaults.max-descriptors",
                "easynet.unix.defaults.min-receive-rate.grace", "management.endpoint.easynet.access",
                "management.endpoint.easynet.cache.time-to-live", "easynet.unix.scheduler-watchdog.enabled",
                "easynet.unix.scheduler-watchdog.threshold", "easynet.unix.scheduler-watchdog.check-period");
        properties.forEach((name, property) -> assertThat(property.path("description").asString()).as(name)
                .isNotBlank());
        ServerOptions core = ServerOptions.defaults();
        assertThat(defaultOf(properties, "backlog")).isEqualTo(String.valueOf(core.backlog()));
        // derived from the open-files limit of the process that runs the server, so no fixed default to state
        assertThat(properties.get("easynet.unix.defaults.max-connections").has("defaultValue")).isFalse();
        assertThat(core.maxConnections()).isEqualTo(ServerOptions.DEFAULT_MAX_CONNECTIONS);
        assertThat(defaultOf(properties, "max-packet-size")).isEqualTo(core.maxPacketSize() / 1024 + "KB");
        assertThat(defaultOf(properties, "receive-buffer-size")).isEqualTo(core.receiveBufferSize() / 1024 + "KB");
        assertThat(defaultOf(properties, "log-client-connections"))
                .isEqualTo(String.valueOf(core.logClientConnections()));
        assertThat(defaultOf(properties, "shutdown.grace-period"))
                .isEqualTo(core.shutdownGracePeriod().toSeconds() + "s");
        assertThat(defaultOf(properties, "send-timeout")).isEqualTo(core.sendTimeout().toSeconds() + "s");
        assertThat(defaultOf(properties, "max-queued-sends")).isEqualTo(String.valueOf(core.maxQueuedSends()));
        assertThat(defaultOf(properties, "max-descriptors")).isEqualTo(String.valueOf(core.maxDescriptors()));
        assertThat(defaultOf(properties, "min-receive-rate.rate"))
                .isEqualTo(core.minReceiveRate().bytesPerSecond() / 1024 + "KB");
        assertThat(defaultOf(properties, "min-receive-rate.grace"))
                .isEqualTo(core.minReceiveRate().grace().toSeconds() + "s");
        assertThat(defaultOf(properties, "serializer")).isEqualTo("json");
        assertThat(defaultOf(properties, "enabled")).isEqualTo("true");
        assertThat(defaultOf(properties, "peer-credentials")).isEqualTo(String.valueOf(core.peerCredentials()));
        assertThat(defaultOf(properties, "access.same-user"))
                .isEqualTo(String.valueOf(core.accessPolicy().sameUser()));
        PerClientMetrics perClient = PerClientMetrics.defaults();
        assertThat(defaultOf(properties, "metrics.per-client")).isEqualTo(String.valueOf(perClient.enabled()));
        assertThat(defaultOf(properties, "metrics.per-client-limit")).isEqualTo(String.valueOf(perClient.limit()));
        SchedulerWatchdogOptions watchdog = SchedulerWatchdogOptions.defaults();
        assertThat(properties.get("easynet.unix.scheduler-watchdog.threshold").get("defaultValue").asString())
                .isEqualTo(watchdog.threshold().toSeconds() + "s");
        assertThat(properties.get("easynet.unix.scheduler-watchdog.check-period").get("defaultValue").asString())
                .isEqualTo(watchdog.checkPeriod().toSeconds() + "s");
    }

    private static String defaultOf(Map<String, JsonNode> properties, String key) {
        return properties.get("easynet.unix.defaults." + key).get("defaultValue").asString();
    }
}
