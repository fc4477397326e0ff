package io.easynet.boot.unix.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties.Server;
import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties.ServerDefaults;
import io.easynet.boot.unix.handler.DiscoveredHandler;
import io.easynet.server.ServerOptions;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Merges a server's settings: its own properties first, then what its annotation gives (path and serializer),
 * then {@code easynet.unix.defaults}, then the core's defaults. Every value is checked, and a bad one is reported
 * with the property it came from.
 */
final class ServerSettingsResolver {

    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

    private static final String DEFAULT_SERIALIZER = "json";

    private final EasynetUnixProperties properties;

    private final Environment environment;

    private final ThreadFactory clientThreadFactory;

    ServerSettingsResolver(EasynetUnixProperties properties, Environment environment,
            ThreadFactory clientThreadFactory) {
        this.properties = properties;
        this.environment = environment;
        this.clientThreadFactory = clientThreadFactory;
    }

    ServerSettings resolve(DiscoveredHandler handler) {
        String name = handler.name();
        Server server = properties.getServers().getOrDefault(name, new Server());
        Setting<Boolean> enabled = setting(name, server, "enabled", ServerDefaults::getEnabled);
        boolean runs = enabled == null || enabled.value();
        Path path = path(handler, server);
        if (runs && path == null) {
            throw new MissingUnixSocketPathException(name, handler.source());
        }
        Setting<String> serializer = server.getSerializer() == null && !handler.serializer().isEmpty()
                ? new Setting<>("@UnixStreamHandler(serializer) of " + handler.source(), handler.serializer())
                : setting(name, server, "serializer", ServerDefaults::getSerializer);
        if (serializer == null) {
            serializer = new Setting<>("easynet.unix.defaults.serializer", DEFAULT_SERIALIZER);
        }
        return new ServerSettings(runs, path, serializer.value(), serializer.source(), options(name, server));
    }

    private @Nullable Path path(DiscoveredHandler handler, Server server) {
        if (server.getPath() != null) {
            return server.getPath();
        }
        if (handler.path().isBlank()) {
            return null;
        }
        return Path.of(environment.resolveRequiredPlaceholders(handler.path()));
    }

    private ServerOptions options(String name, Server server) {
        ServerOptions.Builder options = ServerOptions.builder().clientThreadFactory(clientThreadFactory);
        PropertyMapper map = PropertyMapper.get();
        map.from(setting(name, server, "backlog", ServerDefaults::getBacklog)).as(ServerSettingsResolver::positive)
                .to(options::backlog);
        map.from(setting(name, server, "mode", ServerDefaults::getMode)).as(ServerSettingsResolver::octalMode)
                .to(options::socketFileMode);
        map.from(setting(name, server, "max-connections", ServerDefaults::getMaxConnections)).as(ServerSettingsResolver::positive)
                .to(options::maxConnections);
        map.from(setting(name, server, "max-packet-size", ServerDefaults::getMaxPacketSize)).as(ServerSettingsResolver::bytes)
                .to(options::maxPacketSize);
        map.from(setting(name, server, "receive-buffer-size", ServerDefaults::getReceiveBufferSize))
                .as(ServerSettingsResolver::bytes).to(options::receiveBufferSize);
        map.from(setting(name, server, "receive-timeout", ServerDefaults::getReceiveTimeout))
                .as(ServerSettingsResolver::positiveDuration).to(options::receiveTimeout);
        map.from(setting(name, server, "idle-timeout", ServerDefaults::getIdleTimeout))
                .as(ServerSettingsResolver::positiveDuration).to(options::idleTimeout);
        map.from(setting(name, server, "log-client-connections", ServerDefaults::getLogClientConnections))
                .as(Setting::value).to(options::logClientConnections);
        map.from(setting(name, server, "shutdown.grace-period", settings -> settings.getShutdown().getGracePeriod()))
                .as(ServerSettingsResolver::notNegativeDuration).to(options::shutdownGracePeriod);
        return options.build();
    }

    /** The server's own value of a setting, else the default one, with the property it comes from. */
    private <T> @Nullable Setting<T> setting(String name, Server server, String key,
            Function<ServerDefaults, @Nullable T> getter) {
        T own = getter.apply(server);
        if (own != null) {
            return new Setting<>("easynet.unix.servers." + name + "." + key, own);
        }
        T inherited = getter.apply(properties.getDefaults());
        return inherited == null ? null : new Setting<>("easynet.unix.defaults." + key, inherited);
    }

    private static int octalMode(Setting<String> mode) {
        if (!OCTAL_MODE.matcher(mode.value()).matches()) {
            throw mode.invalid("must be an octal permission mode such as \"0660\"");
        }
        return Integer.parseInt(mode.value(), 8);
    }

    private static int positive(Setting<Integer> number) {
        if (number.value() <= 0) {
            throw number.invalid("must be positive");
        }
        return number.value();
    }

    private static int bytes(Setting<DataSize> size) {
        long bytes = size.value().toBytes();
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw size.invalid("must be more than 0B and less than 2GB");
        }
        return (int) bytes;
    }

    private static Duration positiveDuration(Setting<Duration> duration) {
        if (duration.value().isNegative() || duration.value().isZero()) {
            throw duration.invalid("must be positive; leave it unset for no timeout");
        }
        return duration.value();
    }

    private static Duration notNegativeDuration(Setting<Duration> duration) {
        if (duration.value().isNegative()) {
            throw duration.invalid("must not be negative");
        }
        return duration.value();
    }

    /** A configured value and the property (or annotation) it comes from. */
    private record Setting<T>(String source, T value) {

        InvalidConfigurationPropertyValueException invalid(String reason) {
            return new InvalidConfigurationPropertyValueException(source, value, reason);
        }
    }
}
