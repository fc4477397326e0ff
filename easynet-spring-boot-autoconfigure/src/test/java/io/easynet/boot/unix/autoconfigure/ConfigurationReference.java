package io.easynet.boot.unix.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The configuration reference of docs/configuration.md, rendered from the configuration metadata the build
 * generates, so that the doc says exactly what the IDE says: every property with its type, default and description,
 * grouped by topic.
 */
final class ConfigurationReference {

    static final String DEFAULTS = "easynet.unix.defaults.";

    static final String SERVERS = "easynet.unix.servers";

    static final String ENDPOINT = "management.endpoint.easynet.";

    static final String WATCHDOG = "easynet.unix.scheduler-watchdog.";

    /** The settings a server may also inherit, by topic; a property missing here fails the rendering. */
    private static final Map<String, List<String>> TOPICS = topics();

    private ConfigurationReference() {
    }

    /** A property as the reference shows it: a name, a type in user terms, a default if any, a description. */
    record Property(String name, String type, @Nullable String defaultValue, String description) {
    }

    /**
     * Renders the reference from the {@code properties} of the metadata and the settings only a server takes.
     *
     * @throws IllegalStateException naming the property if the metadata has one that no topic lists, or a topic
     *     lists one the metadata lacks, or one outside the known prefixes
     */
    static String render(JsonNode metadata, List<Property> serverOnly) {
        Map<String, Property> inherited = new LinkedHashMap<>();
        List<Property> endpoint = new ArrayList<>();
        List<Property> watchdog = new ArrayList<>();
        @Nullable Property servers = null;
        for (JsonNode node : metadata.get("properties")) {
            Property property = property(node);
            if (property.name().startsWith(DEFAULTS)) {
                inherited.put(property.name().substring(DEFAULTS.length()), property);
            } else if (property.name().startsWith(ENDPOINT)) {
                endpoint.add(property);
            } else if (property.name().startsWith(WATCHDOG)) {
                watchdog.add(property);
            } else if (property.name().equals(SERVERS)) {
                servers = property;
            } else {
                throw new IllegalStateException(property.name() + " is outside easynet.unix.defaults, "
                        + "easynet.unix.servers, easynet.unix.scheduler-watchdog and management.endpoint.easynet: "
                        + "give it a section in ConfigurationReference");
            }
        }
        if (servers == null) {
            throw new IllegalStateException("The metadata has no " + SERVERS);
        }
        StringBuilder out = new StringBuilder();
        out.append("## Per server only\n\n");
        out.append("`").append(SERVERS).append("` (`").append(servers.type()).append("`): ")
                .append(servers.description())
                .append(" Each entry takes every setting of the next section, and these, which `")
                .append(DEFAULTS, 0, DEFAULTS.length() - 1).append("` does not take. The metadata describes no map ")
                .append("values, so their descriptions are the Javadoc of `EasynetUnixProperties.Server`, and their ")
                .append("defaults the ones it states:\n\n");
        table(out, serverOnly, "easynet.unix.servers.<name>.");
        out.append("\n## Per server or in defaults\n\n");
        out.append("Each key is set under `easynet.unix.servers.<name>.` for one server, or under `")
                .append(DEFAULTS).append("` for every server that leaves it out.\n");
        Set<String> listed = new LinkedHashSet<>();
        TOPICS.values().forEach(listed::addAll);
        inherited.keySet().stream().filter(key -> !listed.contains(key)).findFirst().ifPresent(key -> {
            throw new IllegalStateException(DEFAULTS + key + " has no topic: add it to one in ConfigurationReference");
        });
        TOPICS.forEach((topic, keys) -> {
            List<Property> rows = new ArrayList<>();
            for (String key : keys) {
                Property property = inherited.get(key);
                if (property == null) {
                    throw new IllegalStateException("Topic '" + topic + "' lists " + DEFAULTS + key
                            + ", which the metadata lacks: remove it from ConfigurationReference");
                }
                rows.add(new Property(key, property.type(), property.defaultValue(), property.description()));
            }
            out.append("\n### ").append(topic).append("\n\n");
            table(out, rows, "");
        });
        out.append("\n## Scheduler watchdog\n\n");
        out.append("One for the JVM, shared by every server: the virtual-thread scheduler is the JVM's.\n\n");
        table(out, watchdog, "");
        out.append("\n## Actuator endpoint\n\n");
        table(out, endpoint, "");
        return out.toString();
    }

    private static Property property(JsonNode node) {
        JsonNode defaultValue = node.get("defaultValue");
        return new Property(node.get("name").asString(), userType(node.get("type").asString()),
                defaultValue == null ? null : defaultValue.asString(), node.path("description").asString());
    }

    /** {@code java.util.List<java.lang.Integer>} as {@code List<Integer>}: the type without its packages. */
    private static String userType(String javaType) {
        return javaType.replaceAll("\\b[a-z][a-z0-9_]*\\.", "").replaceAll("\\w+\\$", "").replace(",", ", ");
    }

    private static void table(StringBuilder out, List<Property> properties, String prefix) {
        out.append("| property | type | default | description |\n");
        out.append("|---|---|---|---|\n");
        for (Property property : properties) {
            out.append("| `").append(prefix).append(property.name()).append("` | `")
                    .append(property.type()).append("` | ")
                    .append(property.defaultValue() == null ? "—" : "`" + property.defaultValue() + "`").append(" | ")
                    .append(property.description().replace("|", "\\|")).append(" |\n");
        }
    }

    private static Map<String, List<String>> topics() {
        Map<String, List<String>> topics = new LinkedHashMap<>();
        topics.put("Serving", List.of("enabled", "serializer", "backlog", "max-connections",
                "log-client-connections"));
        topics.put("Socket file", List.of("mode", "group"));
        topics.put("Packets and buffers", List.of("max-packet-size", "receive-buffer-size", "ancillary-buffer-size",
                "max-descriptors"));
        topics.put("Timeouts and slow clients", List.of("receive-timeout", "idle-timeout", "send-timeout",
                "max-queued-sends", "min-receive-rate.rate", "min-receive-rate.grace"));
        topics.put("Peers and access", List.of("peer-credentials", "access.allowed-uids", "access.allowed-gids",
                "access.same-user"));
        topics.put("Shutdown", List.of("shutdown.grace-period"));
        topics.put("Metrics", List.of("metrics.per-client", "metrics.per-client-limit"));
        return topics;
    }
}
