package io.easynet.boot.unix.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.easynet.boot.unix.UnixStreamServerCustomizer;
import io.easynet.boot.unix.UnixStreamServerFactory;
import io.easynet.boot.unix.handler.DiscoveredHandler;
import io.easynet.boot.unix.handler.UnixStreamHandlerDiscoverer;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the handlers of the context into server factories: one per enabled handler, with its merged settings and
 * its protocol, tuned by the {@link UnixStreamServerCustomizer}s. Settings under {@code easynet.unix.servers} that
 * name no handler are refused, since a misspelt name would otherwise leave a server silently unconfigured.
 */
final class HandlerServerFactories implements Supplier<List<UnixStreamServerFactory<?, ?>>> {

    private final UnixStreamHandlerDiscoverer discoverer;

    private final EasynetUnixProperties properties;

    private final ServerSettingsResolver settingsResolver;

    private final ServerProtocols protocols;

    private final Supplier<List<UnixStreamServerCustomizer>> customizers;

    HandlerServerFactories(UnixStreamHandlerDiscoverer discoverer, EasynetUnixProperties properties,
            ServerSettingsResolver settingsResolver, ServerProtocols protocols,
            Supplier<List<UnixStreamServerCustomizer>> customizers) {
        this.discoverer = discoverer;
        this.properties = properties;
        this.settingsResolver = settingsResolver;
        this.protocols = protocols;
        this.customizers = customizers;
    }

    @Override
    public List<UnixStreamServerFactory<?, ?>> get() {
        List<DiscoveredHandler> handlers = discoverer.discover();
        checkEveryConfiguredServerHasAHandler(handlers);
        List<UnixStreamServerCustomizer> customizerList = customizers.get();
        List<UnixStreamServerFactory<?, ?>> factories = new ArrayList<>();
        for (DiscoveredHandler handler : handlers) {
            if (!settingsResolver.isEnabled(handler)) {
                continue;
            }
            ServerSettings settings = settingsResolver.resolve(handler);
            var factory = new UnixStreamServerFactory<>(handler.name(), settings.path(),
                    protocols.protocol(handler, settings.serializer()), handler.handler(), settings.options());
            customizerList.forEach(customizer -> customizer.customize(factory));
            factories.add(factory);
        }
        return factories;
    }

    private void checkEveryConfiguredServerHasAHandler(List<DiscoveredHandler> handlers) {
        Set<String> names = handlers.stream().map(DiscoveredHandler::name).collect(Collectors.toSet());
        properties.getServers().forEach((name, server) -> {
            if (!names.contains(name) && !Boolean.FALSE.equals(server.getEnabled())) {
                throw new InvalidConfigurationPropertyValueException("easynet.unix.servers." + name, name,
                        "no @UnixStreamHandler is named '" + name + "'; the handlers are " + names.stream().sorted()
                                .toList() + " (set enabled: false to keep settings for a handler that is absent)");
            }
        });
    }
}
