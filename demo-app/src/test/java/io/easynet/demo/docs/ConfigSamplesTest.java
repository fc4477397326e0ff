package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/**
 * The YAML samples of the docs (under {@code src/test/resources/docs/}): each binds to the starter's properties with
 * no key left over, so a misspelt or removed property in a sample fails here.
 */
class ConfigSamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"echo.yml", "servers.yml", "reference.yml", "metrics.yml", "peers.yml"})
    void everyEasynetKeyOfTheSampleBindsToTheStartersProperties(String sample) throws IOException {
        Binder binder = binder(sample);

        assertThat(binder.bind("easynet.unix", Bindable.of(EasynetUnixProperties.class),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).isBound()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo.yml", "servers.yml", "reference.yml", "peers.yml"})
    void theEchoServerOfTheSampleIsOnItsPath(String sample) throws IOException {
        EasynetUnixProperties properties = binder(sample).bind("easynet.unix", EasynetUnixProperties.class).get();

        assertThat(properties.getServers().get("echo").getPath()).isEqualTo(Path.of("/run/myapp/echo.sock"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"servers.yml", "reference.yml"})
    void theDefaultsAndTheAdminServersOwnModeAreBound(String sample) throws IOException {
        EasynetUnixProperties properties = binder(sample).bind("easynet.unix", EasynetUnixProperties.class).get();

        assertThat(properties.getDefaults().getMode()).isEqualTo("0660");
        assertThat(properties.getDefaults().getIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.getServers().get("admin").getMode()).isEqualTo("0600");
        assertThat(properties.getServers().get("admin").getSerializer()).isEqualTo("line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference.yml", "actuator.yml"})
    void theManagementKeysOfTheSamplesAreTheActuatorsOwn(String sample) throws IOException {
        Binder binder = binder(sample);

        assertThat(binder.bind("management.endpoint.easynet.access", String.class).get()).isEqualTo("unrestricted");
    }

    @Test
    void theMetricsSampleTurnsPerClientMetersOffByDefaultAndOnForTheAdminServer() throws IOException {
        EasynetUnixProperties properties = binder("metrics.yml").bind("easynet.unix", EasynetUnixProperties.class)
                .get();

        assertThat(properties.getDefaults().getMetrics().getPerClient()).isFalse();
        assertThat(properties.getServers().get("admin").getMetrics().getPerClient()).isTrue();
        assertThat(binder("metrics.yml").bind("management.metrics.distribution.percentiles-histogram",
                Bindable.mapOf(String.class, Boolean.class)).get())
                .containsEntry("all", true).containsEntry("easynet.unix.client", false);
    }

    @Test
    void thePeersSampleSetsDescriptorsCredentialsAccessAnAbstractAddressAndAnInheritedSocket() throws IOException {
        var servers = binder("peers.yml").bind("easynet.unix", EasynetUnixProperties.class).get().getServers();

        assertThat(servers.get("files").getAncillaryBufferSize()).isEqualTo(DataSize.ofBytes(1032));
        assertThat(servers.get("files").getPeerCredentials()).isTrue();
        assertThat(servers.get("admin").getPath()).isEqualTo(Path.of("@myapp-admin"));
        assertThat(servers.get("admin").getAccess().getSameUser()).isTrue();
        assertThat(servers.get("admin").getAccess().getAllowedUids()).containsExactly(1001, 1002);
        assertThat(servers.get("echo").getInherit()).isTrue();
    }

    private static Binder binder(String sample) throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load(sample, new ClassPathResource("docs/" + sample));
        return new Binder(ConfigurationPropertySources.from(sources));
    }
}
