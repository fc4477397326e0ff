package io.easynet.boot.unix.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.easynet.micrometer.PerClientMetrics;
import io.easynet.scheduler.SchedulerWatchdogOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Unix stream servers: one entry per {@code @UnixStreamHandler} name under
 * {@code easynet.unix.servers}, and the defaults they inherit under {@code easynet.unix.defaults}. A setting left
 * out of both takes the core's default, given in each description.
 */
@ConfigurationProperties("easynet.unix")
public class EasynetUnixProperties {

    /** Settings every server inherits unless it sets its own. */
    private final ServerDefaults defaults = new ServerDefaults();

    /** Servers, by the name of their @UnixStreamHandler. */
    private final Map<String, Server> servers = new LinkedHashMap<>();

    /** The JVM-wide watchdog that notices when virtual threads cannot be scheduled. */
    private final SchedulerWatchdog schedulerWatchdog = new SchedulerWatchdog();

    /** Creates the properties, with no server and no default set; Spring Boot binds them. */
    public EasynetUnixProperties() {
    }

    /** {@return the settings every server inherits} */
    public ServerDefaults getDefaults() {
        return defaults;
    }

    /** {@return the servers, by the name of their handler} */
    public Map<String, Server> getServers() {
        return servers;
    }

    /** {@return the scheduler watchdog's settings} */
    public SchedulerWatchdog getSchedulerWatchdog() {
        return schedulerWatchdog;
    }

    /**
     * {@return the per-client metrics of the server {@code name}, merged as every setting is: its own, else {@code
     * easynet.unix.defaults}, else the core's default}
     *
     * @param name the server's name
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException naming
     *     the property if the limit is negative
     */
    public PerClientMetrics determinePerClientMetrics(String name) {
        ConfiguredValue<Boolean> enabled = setting(name, "metrics.per-client",
                settings -> settings.getMetrics().getPerClient());
        ConfiguredValue<Integer> limit = setting(name, "metrics.per-client-limit",
                settings -> settings.getMetrics().getPerClientLimit());
        if (limit != null && limit.value() < 0) {
            throw limit.invalid("must not be negative; set per-client: false to turn per-client meters off");
        }
        PerClientMetrics defaults = PerClientMetrics.defaults();
        return new PerClientMetrics(enabled == null ? defaults.enabled() : enabled.value(),
                limit == null ? defaults.limit() : limit.value());
    }

    /** The server's own value of a setting, else the default one, with the property it comes from. */
    <T> @Nullable ConfiguredValue<T> setting(String name, String key, Function<ServerDefaults, @Nullable T> getter) {
        Server server = servers.get(name);
        T own = server == null ? null : getter.apply(server);
        if (own != null) {
            return ConfiguredValue.property("easynet.unix.servers." + name + "." + key, own);
        }
        T inherited = getter.apply(defaults);
        return inherited == null ? null : ConfiguredValue.property("easynet.unix.defaults." + key, inherited);
    }

    /** The settings a server may inherit. */
    public static class ServerDefaults {

        /** Whether the server runs. Default: true. */
        private @Nullable Boolean enabled;

        /**
         * How packets are framed and (de)serialized: json (EasyNetwork-compatible JSON lines), line (UTF-8 text
         * lines), length-prefixed (4-byte big-endian length and bytes), raw (bytes as they arrive), or the name of
         * a StreamSerializer or StreamProtocol bean. Default: json.
         */
        private @Nullable String serializer;

        /**
         * How many connections the kernel queues before they are accepted (the kernel caps it at
         * net.core.somaxconn). Default: 4096.
         */
        private @Nullable Integer backlog;

        /**
         * Permissions of the socket file as an octal string, such as "0660". Default: what the umask gives (0755
         * under umask 022), on either transport.
         */
        private @Nullable String mode;

        /**
         * How many clients are served at once; further ones wait in the backlog (none is accepted only to be
         * closed), and beyond the backlog their connects wait. Default: derived from the process's open-files limit
         * (ulimit -n) less a tenth of it, at least 256, kept for the rest of the process (768 at 1024, 58983 at
         * 65536).
         */
        private @Nullable Integer maxConnections;

        /** The largest packet a client may send, framing excluded. Default: 64KB. */
        private @Nullable DataSize maxPacketSize;

        /** The most one read of a client asks for; reads start smaller and adapt. Default: 16KB. */
        private @Nullable DataSize receiveBufferSize;

        /**
         * How long a handler's receive() waits for a request before it throws SocketTimeoutException, which the
         * handler may catch. Default: as long as it takes.
         */
        private @Nullable Duration receiveTimeout;

        /**
         * The longest the server waits for a client's next request; then it closes the connection. Default: no
         * limit.
         */
        private @Nullable Duration idleTimeout;

        /**
         * The longest one send may take to hand its response to the kernel; a client that stops reading has its
         * connection closed after this, so that it cannot hold a sending thread. 0 for no limit. Default: 60s.
         */
        private @Nullable Duration sendTimeout;

        /**
         * How many sends to one client may wait while another is in progress; one more is refused at once with
         * SendQueueFullException, sending nothing. Default: 1024.
         */
        private @Nullable Integer maxQueuedSends;

        /** Whether connections and disconnections are logged at INFO rather than DEBUG. Default: true. */
        private @Nullable Boolean logClientConnections;

        /**
         * Group given to the socket file, together with its mode, before the file appears at its path. Default: the
         * process's group.
         */
        private @Nullable String group;

        /**
         * Receive buffer for file descriptors sent with requests (SCM_RIGHTS), from 24B (one descriptor) to 1032B
         * (253 descriptors, the most Linux passes in one message). Setting it serves the server with junixsocket.
         * Default: unset, and then handlers cannot receive or send descriptors.
         */
        private @Nullable DataSize ancillaryBufferSize;

        /**
         * How many file descriptors one client's connection may hold while they wait for the request they came with;
         * one more closes them all and the connection (counted as the limit "descriptors"). Default: 253.
         */
        private @Nullable Integer maxDescriptors;

        /**
         * Whether each client's pid, uid and gid are read when it connects, for StreamClient.peerCredentials().
         * They are read anyway when ancillary data or an access policy is set. Default: false.
         */
        private @Nullable Boolean peerCredentials;

        private final Shutdown shutdown = new Shutdown();

        private final MinReceiveRate minReceiveRate = new MinReceiveRate();

        private final Metrics metrics = new Metrics();

        private final Access access = new Access();

        /** Creates the defaults with nothing set, so that the core's defaults apply. */
        public ServerDefaults() {
        }

        /** {@return whether the server runs, or {@code null} if not set} */
        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets whether the server runs.
         *
         * @param enabled the value, or {@code null} to inherit it
         */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return how packets are framed and (de)serialized, or {@code null} if not set} */
        public @Nullable String getSerializer() {
            return serializer;
        }

        /**
         * Sets how packets are framed and (de)serialized.
         *
         * @param serializer the value, or {@code null} to inherit it
         */
        public void setSerializer(@Nullable String serializer) {
            this.serializer = serializer;
        }

        /** {@return how many connections the kernel queues before they are accepted, or {@code null} if not set} */
        public @Nullable Integer getBacklog() {
            return backlog;
        }

        /**
         * Sets how many connections the kernel queues before they are accepted.
         *
         * @param backlog the value, or {@code null} to inherit it
         */
        public void setBacklog(@Nullable Integer backlog) {
            this.backlog = backlog;
        }

        /** {@return the permissions of the socket file, as an octal string, or {@code null} if not set} */
        public @Nullable String getMode() {
            return mode;
        }

        /**
         * Sets the permissions of the socket file, as an octal string.
         *
         * @param mode the value, or {@code null} to inherit it
         */
        public void setMode(@Nullable String mode) {
            this.mode = mode;
        }

        /** {@return how many clients are served at once, or {@code null} if not set} */
        public @Nullable Integer getMaxConnections() {
            return maxConnections;
        }

        /**
         * Sets how many clients are served at once.
         *
         * @param maxConnections the value, or {@code null} to inherit it
         */
        public void setMaxConnections(@Nullable Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        /** {@return the largest packet a client may send, or {@code null} if not set} */
        public @Nullable DataSize getMaxPacketSize() {
            return maxPacketSize;
        }

        /**
         * Sets the largest packet a client may send.
         *
         * @param maxPacketSize the value, or {@code null} to inherit it
         */
        public void setMaxPacketSize(@Nullable DataSize maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
        }

        /** {@return the most one read of a client asks for, or {@code null} if not set} */
        public @Nullable DataSize getReceiveBufferSize() {
            return receiveBufferSize;
        }

        /**
         * Sets the most one read of a client asks for.
         *
         * @param receiveBufferSize the value, or {@code null} to inherit it
         */
        public void setReceiveBufferSize(@Nullable DataSize receiveBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
        }

        /** {@return how long a handler's receive() waits for a request, or {@code null} if not set} */
        public @Nullable Duration getReceiveTimeout() {
            return receiveTimeout;
        }

        /**
         * Sets how long a handler's receive() waits for a request.
         *
         * @param receiveTimeout the value, or {@code null} to inherit it
         */
        public void setReceiveTimeout(@Nullable Duration receiveTimeout) {
            this.receiveTimeout = receiveTimeout;
        }

        /** {@return the longest the server waits for a client's next request, or {@code null} if not set} */
        public @Nullable Duration getIdleTimeout() {
            return idleTimeout;
        }

        /**
         * Sets the longest the server waits for a client's next request.
         *
         * @param idleTimeout the value, or {@code null} to inherit it
         */
        public void setIdleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        /** {@return whether connections and disconnections are logged at INFO, or {@code null} if not set} */
        public @Nullable Boolean getLogClientConnections() {
            return logClientConnections;
        }

        /**
         * Sets whether connections and disconnections are logged at INFO.
         *
         * @param logClientConnections the value, or {@code null} to inherit it
         */
        public void setLogClientConnections(@Nullable Boolean logClientConnections) {
            this.logClientConnections = logClientConnections;
        }

        /** {@return the longest one send may take, or {@code null} if not set} */
        public @Nullable Duration getSendTimeout() {
            return sendTimeout;
        }

        /**
         * Sets the longest one send may take.
         *
         * @param sendTimeout the value, or {@code null} to inherit it
         */
        public void setSendTimeout(@Nullable Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        /** {@return how many sends to one client may wait, or {@code null} if not set} */
        public @Nullable Integer getMaxQueuedSends() {
            return maxQueuedSends;
        }

        /**
         * Sets how many sends to one client may wait.
         *
         * @param maxQueuedSends the value, or {@code null} to inherit it
         */
        public void setMaxQueuedSends(@Nullable Integer maxQueuedSends) {
            this.maxQueuedSends = maxQueuedSends;
        }

        /** {@return the slow-loris guard} */
        public MinReceiveRate getMinReceiveRate() {
            return minReceiveRate;
        }

        /** {@return how the server stops} */
        public Shutdown getShutdown() {
            return shutdown;
        }

        /** {@return what the server's meters record per client} */
        public Metrics getMetrics() {
            return metrics;
        }

        /** {@return who may connect} */
        public Access getAccess() {
            return access;
        }

        /** {@return the group given to the socket file, or {@code null} if not set} */
        public @Nullable String getGroup() {
            return group;
        }

        /**
         * Sets the group given to the socket file.
         *
         * @param group the value, or {@code null} to inherit it
         */
        public void setGroup(@Nullable String group) {
            this.group = group;
        }

        /** {@return the receive buffer for file descriptors sent with requests, or {@code null} if not set} */
        public @Nullable DataSize getAncillaryBufferSize() {
            return ancillaryBufferSize;
        }

        /**
         * Sets the receive buffer for file descriptors sent with requests.
         *
         * @param ancillaryBufferSize the value, or {@code null} to inherit it
         */
        public void setAncillaryBufferSize(@Nullable DataSize ancillaryBufferSize) {
            this.ancillaryBufferSize = ancillaryBufferSize;
        }

        /** {@return how many descriptors one connection may hold for requests not yet received, or {@code null}} */
        public @Nullable Integer getMaxDescriptors() {
            return maxDescriptors;
        }

        /**
         * Sets how many descriptors one connection may hold for requests not yet received.
         *
         * @param maxDescriptors the value, or {@code null} to inherit it
         */
        public void setMaxDescriptors(@Nullable Integer maxDescriptors) {
            this.maxDescriptors = maxDescriptors;
        }

        /** {@return whether each client's credentials are read when it connects, or {@code null} if not set} */
        public @Nullable Boolean getPeerCredentials() {
            return peerCredentials;
        }

        /**
         * Sets whether each client's credentials are read when it connects.
         *
         * @param peerCredentials the value, or {@code null} to inherit it
         */
        public void setPeerCredentials(@Nullable Boolean peerCredentials) {
            this.peerCredentials = peerCredentials;
        }
    }

    /**
     * Who may connect: a peer outside these lists is refused right after it connects, before any handler code runs.
     * Setting any of them serves the server with junixsocket, which reads the peer's credentials.
     */
    public static class Access {

        /** User ids allowed to connect. Default: any. */
        private @Nullable List<Integer> allowedUids;

        /** Group ids allowed to connect (the peer's effective group). Default: any. */
        private @Nullable List<Integer> allowedGids;

        /** Whether only peers running as this process's user may connect. Default: false. */
        private @Nullable Boolean sameUser;

        /** Creates the access settings with nothing set: anyone may connect. */
        public Access() {
        }

        /** {@return the user ids allowed to connect, or {@code null} if not set} */
        public @Nullable List<Integer> getAllowedUids() {
            return allowedUids;
        }

        /**
         * Sets the user ids allowed to connect.
         *
         * @param allowedUids the value, or {@code null} to inherit it
         */
        public void setAllowedUids(@Nullable List<Integer> allowedUids) {
            this.allowedUids = allowedUids;
        }

        /** {@return the group ids allowed to connect, or {@code null} if not set} */
        public @Nullable List<Integer> getAllowedGids() {
            return allowedGids;
        }

        /**
         * Sets the group ids allowed to connect.
         *
         * @param allowedGids the value, or {@code null} to inherit it
         */
        public void setAllowedGids(@Nullable List<Integer> allowedGids) {
            this.allowedGids = allowedGids;
        }

        /** {@return whether only peers running as this process's user may connect, or {@code null} if not set} */
        public @Nullable Boolean getSameUser() {
            return sameUser;
        }

        /**
         * Sets whether only peers running as this process's user may connect.
         *
         * @param sameUser the value, or {@code null} to inherit it
         */
        public void setSameUser(@Nullable Boolean sameUser) {
            this.sameUser = sameUser;
        }
    }

    /** One server's settings: its socket path, and any inherited setting it overrides. */
    public static class Server extends ServerDefaults {

        /**
         * Where the socket file is bound, or "@name" for an address in Linux's abstract namespace (no file, so no
         * mode, group or clean-up); overrides the path given in @UnixStreamHandler. Required, here or in the
         * annotation.
         */
        private @Nullable Path path;

        /**
         * Whether the server must listen on a socket systemd passed to the process (LISTEN_FDS) instead of
         * binding one; a passed socket at the server's path is used even without it. Default: false.
         */
        private @Nullable Boolean inherit;

        /** Creates a server's settings with nothing set, so that it inherits every setting. */
        public Server() {
        }

        /**
         * {@return where the socket file is bound, or {@code @name} for an abstract address; {@code null} if not set}
         */
        public @Nullable Path getPath() {
            return path;
        }

        /**
         * Sets where the socket file is bound, or {@code @name} for an abstract address.
         *
         * @param path the value, or {@code null} for the path given in {@code @UnixStreamHandler}
         */
        public void setPath(@Nullable Path path) {
            this.path = path;
        }

        /** {@return whether the server must listen on a socket systemd passed, or {@code null} if not set} */
        public @Nullable Boolean getInherit() {
            return inherit;
        }

        /**
         * Sets whether the server must listen on a socket systemd passed.
         *
         * @param inherit the value, or {@code null} for {@code false}
         */
        public void setInherit(@Nullable Boolean inherit) {
            this.inherit = inherit;
        }
    }

    /** What a server's meters record per client, when the application has a MeterRegistry. */
    public static class Metrics {

        /**
         * Whether each client gets traffic meters of its own (easynet.unix.client.*, tagged with its id), removed
         * from the registry when it disconnects. Default: true.
         */
        private @Nullable Boolean perClient;

        /**
         * The most clients that have meters of their own at once; further clients count only in the server's
         * meters. Each costs 5 meters while connected. Default: 1000.
         */
        private @Nullable Integer perClientLimit;

        /** Creates the metrics settings with nothing set. */
        public Metrics() {
        }

        /** {@return whether each client gets traffic meters of its own, or {@code null} if not set} */
        public @Nullable Boolean getPerClient() {
            return perClient;
        }

        /**
         * Sets whether each client gets traffic meters of its own.
         *
         * @param perClient the value, or {@code null} to inherit it
         */
        public void setPerClient(@Nullable Boolean perClient) {
            this.perClient = perClient;
        }

        /** {@return the most clients that have meters of their own at once, or {@code null} if not set} */
        public @Nullable Integer getPerClientLimit() {
            return perClientLimit;
        }

        /**
         * Sets the most clients that have meters of their own at once.
         *
         * @param perClientLimit the value, or {@code null} to inherit it
         */
        public void setPerClientLimit(@Nullable Integer perClientLimit) {
            this.perClientLimit = perClientLimit;
        }
    }

    /** How a server stops. */
    public static class Shutdown {

        /**
         * How long a stopping server lets handlers finish the requests they are serving before it closes their
         * connections. Default: 30s.
         */
        private @Nullable Duration gracePeriod;

        /** Creates the shutdown settings with nothing set. */
        public Shutdown() {
        }

        /** {@return how long a stopping server lets handlers finish their requests, or {@code null} if not set} */
        public @Nullable Duration getGracePeriod() {
            return gracePeriod;
        }

        /**
         * Sets how long a stopping server lets handlers finish their requests.
         *
         * @param gracePeriod the value, or {@code null} to inherit it
         */
        public void setGracePeriod(@Nullable Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /**
     * The slow-loris guard: a packet the handler waits for must be complete within the grace period plus one second
     * per {@code rate} of it received so far, or the connection is closed.
     */
    public static class MinReceiveRate {

        /**
         * The slowest average rate, per second, at which a packet may arrive after the grace period; 0 turns the
         * guard off. Default: 1KB.
         */
        private @Nullable DataSize rate;

        /** How long any packet may take, however few of its bytes arrived. Default: 10s. */
        private @Nullable Duration grace;

        /** Creates the guard's settings with nothing set. */
        public MinReceiveRate() {
        }

        /**
         * {@return the slowest average rate at which a packet may arrive after the grace period, or {@code null} if not
         * set}
         */
        public @Nullable DataSize getRate() {
            return rate;
        }

        /**
         * Sets the slowest average rate at which a packet may arrive after the grace period.
         *
         * @param rate the value, or {@code null} to inherit it
         */
        public void setRate(@Nullable DataSize rate) {
            this.rate = rate;
        }

        /** {@return how long any packet may take, however few of its bytes arrived, or {@code null} if not set} */
        public @Nullable Duration getGrace() {
            return grace;
        }

        /**
         * Sets how long any packet may take, however few of its bytes arrived.
         *
         * @param grace the value, or {@code null} to inherit it
         */
        public void setGrace(@Nullable Duration grace) {
            this.grace = grace;
        }
    }

    /**
     * The JVM-wide watchdog of the virtual-thread scheduler: when code holds every carrier thread (a native call, a
     * blocking library), no virtual thread runs, every server's included; the watchdog logs a WARN naming the
     * threads that hold the carriers, counts the stall and reports health DOWN while it lasts.
     */
    public static class SchedulerWatchdog {

        /** Whether the watchdog runs. Default: true. */
        private boolean enabled = true;

        /**
         * How long a heartbeat virtual thread may wait for a carrier thread before the scheduler counts as
         * stalled. Default: 5s.
         */
        private Duration threshold = SchedulerWatchdogOptions.DEFAULT_THRESHOLD;

        /**
         * How often the watchdog starts a heartbeat and checks on the last one; a stall is noticed within threshold
         * plus this. Default: 1s.
         */
        private Duration checkPeriod = SchedulerWatchdogOptions.DEFAULT_CHECK_PERIOD;

        /** Creates the watchdog's settings with their defaults. */
        public SchedulerWatchdog() {
        }

        /** {@return whether the watchdog runs} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the watchdog runs.
         *
         * @param enabled the value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return how long a heartbeat may wait for a carrier before the scheduler counts as stalled} */
        public Duration getThreshold() {
            return threshold;
        }

        /**
         * Sets how long a heartbeat may wait for a carrier before the scheduler counts as stalled.
         *
         * @param threshold the value
         */
        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

        /** {@return how often the watchdog checks} */
        public Duration getCheckPeriod() {
            return checkPeriod;
        }

        /**
         * Sets how often the watchdog checks.
         *
         * @param checkPeriod the value
         */
        public void setCheckPeriod(Duration checkPeriod) {
            this.checkPeriod = checkPeriod;
        }

        /**
         * {@return the core's options for these settings}
         *
         * @throws InvalidConfigurationPropertyValueException naming the property if a duration is not positive
         */
        public SchedulerWatchdogOptions toOptions() {
            String prefix = "easynet.unix.scheduler-watchdog.";
            if (threshold.isNegative() || threshold.isZero()) {
                throw new InvalidConfigurationPropertyValueException(prefix + "threshold", threshold,
                        "must be positive");
            }
            if (checkPeriod.isNegative() || checkPeriod.isZero()) {
                throw new InvalidConfigurationPropertyValueException(prefix + "check-period", checkPeriod,
                        "must be positive");
            }
            return new SchedulerWatchdogOptions(threshold, checkPeriod);
        }
    }
}
