package io.easynet.boot.unix.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.easynet.boot.unix.UnixStreamServerFactory;
import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties.Server;
import io.easynet.boot.unix.autoconfigure.EasynetUnixProperties.ServerDefaults;
import io.easynet.boot.unix.handler.DiscoveredHandler;
import io.easynet.server.AccessPolicy;
import io.easynet.server.MinReceiveRate;
import io.easynet.server.ServerOptions;
import io.easynet.transport.Ancillary;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Merges a server's settings: its own properties first, then what its annotation gives (path and serializer),
 * then {@code easynet.unix.defaults}, then the core's defaults. Every value is checked, and a bad one is reported
 * with the property it came from. The property part of the merge is {@link EasynetUnixProperties#setting}'s, which
 * the metrics auto-configuration shares.
 */
final class ServerSettingsResolver {

    /** With its leading 0: YAML reads an unquoted 0660 as the number 432, which must not pass for a mode. */
    private static final Pattern OCTAL_MODE = Pattern.compile("0[0-7]{3}");

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

    /** Whether the handler's server runs: {@code enabled}, from its properties or the defaults. */
    boolean isEnabled(DiscoveredHandler handler) {
        ConfiguredValue<Boolean> enabled = properties.setting(handler.name(), "enabled",
                ServerDefaults::getEnabled);
        return enabled == null || enabled.value();
    }

    /**
     * The settings of a server that runs.
     *
     * @throws MissingUnixSocketPathException if neither the properties nor the annotation give a path
     * @throws RuntimeException naming the property or annotation attribute whose value is invalid
     */
    ServerSettings resolve(DiscoveredHandler handler) {
        String name = handler.name();
        Server server = server(handler);
        Path path = path(handler, server);
        if (path == null) {
            throw new MissingUnixSocketPathException(name, handler.source());
        }
        ConfiguredValue<String> serializer = server.getSerializer() == null && !handler.serializer().isEmpty()
                ? ConfiguredValue.annotation("serializer", handler.serializer(), handler.source())
                : properties.setting(name, "serializer", ServerDefaults::getSerializer);
        if (serializer == null) {
            serializer = ConfiguredValue.property("easynet.unix.defaults.serializer", DEFAULT_SERIALIZER);
        }
        return new ServerSettings(path, serializer, options(name, server, UnixStreamServerFactory.isAbstract(path)));
    }

    private Server server(DiscoveredHandler handler) {
        return properties.getServers().getOrDefault(handler.name(), new Server());
    }

    private @Nullable Path path(DiscoveredHandler handler, Server server) {
        if (server.getPath() != null) {
            return server.getPath();
        }
        if (handler.path().isBlank()) {
            return null;
        }
        try {
            return Path.of(environment.resolveRequiredPlaceholders(handler.path()));
        } catch (IllegalArgumentException e) {
            throw ConfiguredValue.annotation("path", handler.path(), handler.source()).invalid(e.getMessage());
        }
    }

    private ServerOptions options(String name, Server server, boolean abstractAddress) {
        ServerOptions.Builder options = ServerOptions.builder().clientThreadFactory(clientThreadFactory);
        PropertyMapper map = PropertyMapper.get();
        map.from(properties.setting(name, "backlog", ServerDefaults::getBacklog))
                .as(ServerSettingsResolver::positive).to(options::backlog);
        map.from(fileSetting(name, server, abstractAddress, "mode", ServerDefaults::getMode))
                .as(ServerSettingsResolver::octalMode).to(options::socketFileMode);
        map.from(fileSetting(name, server, abstractAddress, "group", ServerDefaults::getGroup))
                .as(ConfiguredValue::value).to(options::socketFileGroup);
        map.from(properties.setting(name, "ancillary-buffer-size", ServerDefaults::getAncillaryBufferSize))
                .as(ServerSettingsResolver::ancillaryBufferSize).to(options::ancillaryBufferSize);
        map.from(properties.setting(name, "max-descriptors", ServerDefaults::getMaxDescriptors))
                .as(ServerSettingsResolver::positive).to(options::maxDescriptors);
        map.from(properties.setting(name, "peer-credentials", ServerDefaults::getPeerCredentials))
                .as(ConfiguredValue::value).to(options::peerCredentials);
        map.from(server.getInherit()).to(options::requireSystemdSocket);
        options.accessPolicy(accessPolicy(name));
        map.from(properties.setting(name, "max-connections", ServerDefaults::getMaxConnections))
                .as(ServerSettingsResolver::positive).to(options::maxConnections);
        map.from(properties.setting(name, "max-packet-size", ServerDefaults::getMaxPacketSize))
                .as(ServerSettingsResolver::bytes).to(options::maxPacketSize);
        map.from(properties.setting(name, "receive-buffer-size", ServerDefaults::getReceiveBufferSize))
                .as(ServerSettingsResolver::bytes).to(options::receiveBufferSize);
        map.from(properties.setting(name, "receive-timeout", ServerDefaults::getReceiveTimeout))
                .as(ServerSettingsResolver::positiveDuration).to(options::receiveTimeout);
        map.from(properties.setting(name, "idle-timeout", ServerDefaults::getIdleTimeout))
                .as(ServerSettingsResolver::positiveDuration).to(options::idleTimeout);
        ConfiguredValue<Duration> sendTimeout = properties.setting(name, "send-timeout", ServerDefaults::getSendTimeout);
        if (sendTimeout != null) {
            options.sendTimeout(limitOrZero(sendTimeout));
        }
        map.from(properties.setting(name, "max-queued-sends", ServerDefaults::getMaxQueuedSends))
                .as(ServerSettingsResolver::notNegative).to(options::maxQueuedSends);
        options.minReceiveRate(minReceiveRate(name));
        map.from(properties.setting(name, "log-client-connections", ServerDefaults::getLogClientConnections))
                .as(ConfiguredValue::value).to(options::logClientConnections);
        map.from(properties.setting(name, "shutdown.grace-period",
                settings -> settings.getShutdown().getGracePeriod()))
                .as(ServerSettingsResolver::notNegativeDuration).to(options::shutdownGracePeriod);
        return options.build();
    }

    /**
     * A setting of the socket file (mode, group). A server in the abstract namespace has no file: its own setting
     * is refused, and one from {@code easynet.unix.defaults} does not apply to it.
     */
    private <T> @Nullable ConfiguredValue<T> fileSetting(String name, Server server, boolean abstractAddress,
            String key, Function<ServerDefaults, @Nullable T> getter) {
        if (!abstractAddress) {
            return properties.setting(name, key, getter);
        }
        T own = getter.apply(server);
        if (own != null) {
            throw ConfiguredValue.property("easynet.unix.servers." + name + "." + key, own)
                    .invalid("the server is in the abstract namespace (its path starts with @), which has no socket "
                            + "file to give a " + key + " to");
        }
        return null;
    }

    /** The slow-loris guard: the core's default, each part overridden by its property; a rate of 0 turns it off. */
    private @Nullable MinReceiveRate minReceiveRate(String name) {
        ConfiguredValue<DataSize> rate = properties.setting(name, "min-receive-rate.rate",
                settings -> settings.getMinReceiveRate().getRate());
        ConfiguredValue<Duration> grace = properties.setting(name, "min-receive-rate.grace",
                settings -> settings.getMinReceiveRate().getGrace());
        MinReceiveRate defaults = MinReceiveRate.DEFAULT;
        int bytesPerSecond = defaults.bytesPerSecond();
        if (rate != null) {
            long bytes = rate.value().toBytes();
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw rate.invalid("must be 0B (no guard) up to less than 2GB per second");
            }
            if (bytes == 0) {
                return null;
            }
            bytesPerSecond = (int) bytes;
        }
        return new MinReceiveRate(bytesPerSecond,
                grace == null ? defaults.grace() : positiveDuration(grace));
    }

    private AccessPolicy accessPolicy(String name) {
        ConfiguredValue<List<Integer>> uids = properties.setting(name, "access.allowed-uids",
                settings -> settings.getAccess().getAllowedUids());
        ConfiguredValue<List<Integer>> gids = properties.setting(name, "access.allowed-gids",
                settings -> settings.getAccess().getAllowedGids());
        ConfiguredValue<Boolean> sameUser = properties.setting(name, "access.same-user",
                settings -> settings.getAccess().getSameUser());
        return new AccessPolicy(ids(uids), ids(gids), sameUser != null && sameUser.value());
    }

    /**
     * The ids of an allow-list. One set but empty (say {@code allowed-uids: ${ADMIN_UIDS:}} with the variable unset)
     * is refused: read as "no list", it would let every peer in.
     */
    private static Set<Integer> ids(@Nullable ConfiguredValue<List<Integer>> ids) {
        if (ids == null) {
            return Set.of();
        }
        if (ids.value().isEmpty()) {
            throw ids.invalid("must list at least one id: an empty list would let every peer in; remove the "
                    + "property to allow anyone");
        }
        return Set.copyOf(ids.value());
    }

    private static int ancillaryBufferSize(ConfiguredValue<DataSize> size) {
        try {
            return Ancillary.requireReceiveBufferSize("the ancillary buffer", (int) Math.min(Integer.MAX_VALUE,
                    Math.max(Integer.MIN_VALUE, size.value().toBytes())));
        } catch (IllegalArgumentException e) {
            throw size.invalid(e.getMessage());
        }
    }

    private static int octalMode(ConfiguredValue<String> mode) {
        if (!OCTAL_MODE.matcher(mode.value()).matches()) {
            throw mode.invalid("must be an octal permission mode with its leading 0, such as \"0660\" (quoted in "
                    + "YAML, which reads an unquoted 0660 as the number 432)");
        }
        return Integer.parseInt(mode.value(), 8);
    }

    private static int positive(ConfiguredValue<Integer> number) {
        if (number.value() <= 0) {
            throw number.invalid("must be positive");
        }
        return number.value();
    }

    private static int notNegative(ConfiguredValue<Integer> number) {
        if (number.value() < 0) {
            throw number.invalid("must not be negative");
        }
        return number.value();
    }

    private static int bytes(ConfiguredValue<DataSize> size) {
        long bytes = size.value().toBytes();
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw size.invalid("must be more than 0B and less than 2GB");
        }
        return (int) bytes;
    }

    private static Duration positiveDuration(ConfiguredValue<Duration> duration) {
        if (duration.value().isNegative() || duration.value().isZero()) {
            throw duration.invalid("must be positive; leave it unset for no timeout");
        }
        return duration.value();
    }

    /** A time limit, or {@code null} for none when it is 0. */
    private static @Nullable Duration limitOrZero(ConfiguredValue<Duration> duration) {
        if (duration.value().isNegative()) {
            throw duration.invalid("must be positive, or 0 for no limit");
        }
        return duration.value().isZero() ? null : duration.value();
    }

    private static Duration notNegativeDuration(ConfiguredValue<Duration> duration) {
        if (duration.value().isNegative()) {
            throw duration.invalid("must not be negative");
        }
        return duration.value();
    }
}
