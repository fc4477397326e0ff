package io.easynet.boot.unix.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md says what the configuration metadata says: its generated region is exactly the
 * {@link ConfigurationReference} of the metadata this build produced. Run with {@code -Dupdate.docs=true} to rewrite
 * the region instead.
 */
class ConfigurationReferenceTests {

    private static final Path DOC = Path.of("../docs/configuration.md");

    private static final Path PROPERTIES_SOURCE =
            Path.of("src/main/java/io/easynet/boot/unix/autoconfigure/EasynetUnixProperties.java");

    private static final String START = "<!-- generated: properties -->\n";

    private static final String END = "<!-- end -->\n";

    @Test
    void docsConfigurationReferenceIsTheOneRenderedFromTheMetadata() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.shared().readTree(in);
        }
        String expected = ConfigurationReference.render(metadata, ServerOnlyProperties.read(PROPERTIES_SOURCE));
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(START);
        int end = doc.indexOf(END, start);
        assertThat(start).as("%s has a region between '%s' and '%s'", DOC, START.strip(), END.strip())
                .isNotNegative();
        assertThat(end).as("%s has '%s' after '%s'", DOC, END.strip(), START.strip()).isNotNegative();
        String actual = doc.substring(start + START.length(), end);
        if (Boolean.getBoolean("update.docs")) {
            Files.writeString(DOC, doc.substring(0, start + START.length()) + expected + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("The configuration reference in %s is not the one the metadata gives. Regenerate it: "
                + "./mvnw -pl easynet-spring-boot-autoconfigure -am clean verify -Dtest=ConfigurationReferenceTests "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dupdate.docs=true", DOC.toAbsolutePath().normalize())
                .isEqualTo(expected);
    }

    @Test
    void renderingFailsNamingAMetadataPropertyThatNoTopicLists() {
        JsonNode metadata = JsonMapper.shared().readTree("""
                {"properties": [
                  {"name": "easynet.unix.servers", "type": "java.util.Map", "description": "Servers."},
                  {"name": "easynet.unix.defaults.new-setting", "type": "java.lang.Integer", "description": "New."}
                ]}""");
        assertThatIllegalStateException().isThrownBy(() -> ConfigurationReference.render(metadata, List.of()))
                .withMessage("easynet.unix.defaults.new-setting has no topic: add it to one in ConfigurationReference");
    }
}
