package io.easynet.server;

import io.easynet.transport.Ancillary;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link AsyncUnixStreamServer} listens and serves. Defaults follow EasyNetwork's where it has one.
 *
 * @param backlog how many connections the kernel queues before they are accepted
 * @param socketFileMode the permissions given to the socket file, or {@code null} for what the process umask gives
 *     a socket (0755 under umask 022), on either transport; applied before the file appears at its path
 * @param maxConnections how many clients are served at once; further connections wait in the backlog (which the
 *     kernel bounds by {@code backlog}; beyond it new connects wait) until a client leaves: none is accepted only to
 *     be closed
 * @param maxPacketSize the largest packet a client may send, in bytes, framing excluded
 * @param receiveBufferSize the most one read of a client asks for; reads start at 1 KiB and adapt to what the client
 *     sends, so an idle client holds a small buffer, and the buffer still grows to hold a packet up to the limit
 * @param logClientConnections whether connections and disconnections are logged at INFO (otherwise DEBUG)
 * @param shutdownGracePeriod how long {@link AsyncUnixStreamServer#close()} lets handlers finish
 * @param receiveTimeout how long {@link RequestStream#receive()} waits for a request before it throws
 *     {@link java.net.SocketTimeoutException}, or {@code null} to wait as long as it takes;
 *     {@link RequestStream#receive(RecvParams)} waits as its params say instead
 * @param idleTimeout the longest any receive waits for the client's next request, whatever timeout it asked for;
 *     when this runs out the server closes the connection as idle. {@code null} for no limit
 * @param clientThreadFactory makes the thread each client is served on, e.g. to propagate context or to use
 *     platform threads; the server names each thread {@code easynet-<client id>}
 * @param ancillaryBufferSize room for file descriptors received with each read, in bytes
 *     ({@link Ancillary#bufferSizeFor(int)} for n descriptors; 24 to {@link Ancillary#MAX_RECEIVE_BUFFER_SIZE}), or
 *     {@code null} to refuse descriptor passing: handlers then cannot receive or send descriptors
 * @param accessPolicy which peers may connect, checked right after accept; {@link AccessPolicy#ANYONE} checks
 *     nothing
 * @param socketFileGroup the group given to the socket file (a name, or a numeric id), or {@code null} to keep the
 *     process's; applied with the mode before the file appears at its path
 * @param peerCredentials whether each client's pid, uid and gid are read at accept for
 *     {@link StreamClient#peerCredentials()}, even when no other option needs them
 * @param requireSystemdSocket whether the server must listen on a socket systemd passed to the process
 *     ({@code LISTEN_FDS}) instead of binding one; a passed socket at the server's address is used even without it
 * @param sendTimeout the longest one send may take to hand its whole frame to the kernel (time waiting behind
 *     other senders excluded); a client that stops reading gets its connection closed after this, so that it cannot
 *     hold a sending thread forever. {@code null} for no limit
 * @param minReceiveRate the slow-loris guard: how fast a packet must arrive once it has begun to, or {@code null}
 *     to let packets take as long as they like
 * @param maxQueuedSends how many sends to one client may wait while another is in progress; one more is refused
 *     with {@link SendQueueFullException} and sends nothing, so that background senders cannot pile up threads and
 *     responses behind a slow client
 * @param maxDescriptors how many file descriptors one client's connection may hold while they wait for the packet
 *     they came with (only with an {@code ancillaryBufferSize}); one more closes them all and the connection, the
 *     receive throwing {@link ClientDisconnectedException} caused by a
 *     {@link io.easynet.transport.TooManyDescriptorsException}, reported as {@link ServerListener.Limit#DESCRIPTORS}
 */
public record ServerOptions(int backlog, @Nullable Set<PosixFilePermission> socketFileMode, int maxConnections,
        int maxPacketSize, int receiveBufferSize, boolean logClientConnections, Duration shutdownGracePeriod,
        @Nullable Duration receiveTimeout, @Nullable Duration idleTimeout, ThreadFactory clientThreadFactory,
        @Nullable Integer ancillaryBufferSize, AccessPolicy accessPolicy, @Nullable String socketFileGroup,
        boolean peerCredentials, boolean requireSystemdSocket, @Nullable Duration sendTimeout,
        @Nullable MinReceiveRate minReceiveRate, int maxQueuedSends, int maxDescriptors) {

    /**
     * The default listen backlog: Linux's default {@code net.core.somaxconn} (which caps any backlog), as Netty
     * uses. EasyNetwork's 100 makes clients of a connect storm wait in {@code connect} for the accept loop: measured
     * at 5,000-20,000 connections/s against 31,000-38,000 with this (docs/benchmarks.md).
     */
    public static final int DEFAULT_BACKLOG = 4096;

    /**
     * The clients served at once by default: derived from the process's open-files limit ({@code ulimit -n}, as the
     * JVM found it at start) so that a flood of connections leaves descriptors for the rest of the process: the
     * limit less a tenth of it, or less 256 if that is more (half of a limit under 512); {@link Integer#MAX_VALUE}
     * where the limit cannot be read. Each server has its own: servers left at the default in one process can
     * together hold more than the limit, so set {@code maxConnections} on each when several face untrusted clients.
     * At a limit of 1,024 it is 768; at 65,536, 58,983; at 1,048,576, 943,719.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = OpenFilesLimit.defaultMaxConnections();

    /** 64 KiB, the limit EasyNetwork's serializers put on a packet. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024;

    /** 16 KiB, EasyNetwork's {@code max_recv_size}. */
    public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 16 * 1024;

    /** 30 seconds, Spring Boot's default for a graceful shutdown phase. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

    /** 60 seconds: a peer that reads nothing of a response for a minute is not coming back for it. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(60);

    /** Enough waiting senders for any fan-out that keeps up; a client that has more is not reading. */
    public static final int DEFAULT_MAX_QUEUED_SENDS = 1024;

    /**
     * 253, the most descriptors Linux passes in one message ({@link Ancillary#MAX_DESCRIPTORS}), which is also the
     * most one EasyNetwork receive can bring: one packet's worth for a peer that sends them as EasyNet does.
     */
    public static final int DEFAULT_MAX_DESCRIPTORS = Ancillary.MAX_DESCRIPTORS;

    /** One shared factory, so that options built with the defaults are equal. */
    private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().factory();

    /** Checks every option and names the one that is wrong. */
    public ServerOptions {
        requirePositive("backlog", backlog);
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxPacketSize", maxPacketSize);
        requirePositive("receiveBufferSize", receiveBufferSize);
        Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
        if (shutdownGracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownGracePeriod must not be negative, got " + shutdownGracePeriod);
        }
        requirePositive("receiveTimeout", receiveTimeout);
        requirePositive("idleTimeout", idleTimeout);
        Objects.requireNonNull(clientThreadFactory, "clientThreadFactory");
        socketFileMode = socketFileMode == null ? null : Set.copyOf(socketFileMode);
        if (ancillaryBufferSize != null) {
            Ancillary.requireReceiveBufferSize("ancillaryBufferSize", ancillaryBufferSize);
        }
        Objects.requireNonNull(accessPolicy, "accessPolicy");
        if (socketFileGroup != null && socketFileGroup.isBlank()) {
            throw new IllegalArgumentException("socketFileGroup must name a group, got \"" + socketFileGroup + "\"");
        }
        requirePositive("sendTimeout", sendTimeout);
        if (maxQueuedSends < 0) {
            throw new IllegalArgumentException("maxQueuedSends must not be negative, got " + maxQueuedSends);
        }
        requirePositive("maxDescriptors", maxDescriptors);
    }

    /**
     * Whether these options need the junixsocket transport: descriptor passing, an access policy or peer
     * credentials, which the JDK's channels cannot give.
     */
    boolean needJunixsocket() {
        return ancillaryBufferSize != null || !accessPolicy.allowsAnyone() || peerCredentials;
    }

    /** {@return the defaults} */
    public static ServerOptions defaults() {
        return builder().build();
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from these options} */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.backlog = backlog;
        builder.socketFileMode = socketFileMode;
        builder.maxConnections = maxConnections;
        builder.maxPacketSize = maxPacketSize;
        builder.receiveBufferSize = receiveBufferSize;
        builder.logClientConnections = logClientConnections;
        builder.shutdownGracePeriod = shutdownGracePeriod;
        builder.receiveTimeout = receiveTimeout;
        builder.idleTimeout = idleTimeout;
        builder.clientThreadFactory = clientThreadFactory;
        builder.ancillaryBufferSize = ancillaryBufferSize;
        builder.accessPolicy = accessPolicy;
        builder.socketFileGroup = socketFileGroup;
        builder.peerCredentials = peerCredentials;
        builder.requireSystemdSocket = requireSystemdSocket;
        builder.sendTimeout = sendTimeout;
        builder.minReceiveRate = minReceiveRate;
        builder.maxQueuedSends = maxQueuedSends;
        builder.maxDescriptors = maxDescriptors;
        return builder;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(String name, @Nullable Duration value) {
        if (value != null && !value.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Builds {@link ServerOptions}; each setter names one option. */
    public static final class Builder {

        private int backlog = DEFAULT_BACKLOG;

        private @Nullable Set<PosixFilePermission> socketFileMode;

        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;

        private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER_SIZE;

        private boolean logClientConnections = true;

        private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;

        private @Nullable Duration receiveTimeout;

        private @Nullable Duration idleTimeout;

        private ThreadFactory clientThreadFactory = VIRTUAL_THREADS;

        private @Nullable Integer ancillaryBufferSize;

        private AccessPolicy accessPolicy = AccessPolicy.ANYONE;

        private @Nullable String socketFileGroup;

        private boolean peerCredentials;

        private boolean requireSystemdSocket;

        private @Nullable Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

        private @Nullable MinReceiveRate minReceiveRate = MinReceiveRate.DEFAULT;

        private int maxQueuedSends = DEFAULT_MAX_QUEUED_SENDS;

        private int maxDescriptors = DEFAULT_MAX_DESCRIPTORS;

        private Builder() {
        }

        /**
         * See {@link ServerOptions#backlog()}.
         *
         * @param backlog the kernel's queue length
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * See {@link ServerOptions#socketFileMode()}.
         *
         * @param mode the permissions, or {@code null} for what the umask gives
         * @return this builder
         */
        public Builder socketFileMode(@Nullable Set<PosixFilePermission> mode) {
            this.socketFileMode = mode;
            return this;
        }

        /**
         * The socket file's permissions as an octal number, such as {@code 0660}.
         *
         * @param octalMode the permissions, such as {@code 0660}
         * @return this builder
         * @throws IllegalArgumentException if the mode has bits beyond {@code 0777}
         */
        public Builder socketFileMode(int octalMode) {
            if ((octalMode & ~0777) != 0) {
                throw new IllegalArgumentException("socket file mode must be within 0777, got 0"
                        + Integer.toOctalString(octalMode));
            }
            Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] bits = PosixFilePermission.values();
            for (int i = 0; i < bits.length; i++) {
                if ((octalMode & (0400 >> i)) != 0) {
                    mode.add(bits[i]);
                }
            }
            this.socketFileMode = mode;
            return this;
        }

        /**
         * The socket file's permissions in {@code ls} form, such as {@code rw-rw----}.
         *
         * @param permissions the permissions, such as {@code rw-rw----}
         * @return this builder
         */
        public Builder socketFileMode(String permissions) {
            try {
                return socketFileMode(PosixFilePermissions.fromString(permissions));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("socket file mode must look like rw-rw----, got " + permissions, e);
            }
        }

        /**
         * See {@link ServerOptions#maxConnections()}.
         *
         * @param maxConnections the most clients served at once
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * See {@link ServerOptions#maxPacketSize()}.
         *
         * @param maxPacketSize the largest packet in bytes
         * @return this builder
         */
        public Builder maxPacketSize(int maxPacketSize) {
            this.maxPacketSize = maxPacketSize;
            return this;
        }

        /**
         * See {@link ServerOptions#receiveBufferSize()}.
         *
         * @param receiveBufferSize the most one read asks for, in bytes
         * @return this builder
         */
        public Builder receiveBufferSize(int receiveBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
            return this;
        }

        /**
         * See {@link ServerOptions#logClientConnections()}.
         *
         * @param logClientConnections {@code true} for INFO, {@code false} for DEBUG
         * @return this builder
         */
        public Builder logClientConnections(boolean logClientConnections) {
            this.logClientConnections = logClientConnections;
            return this;
        }

        /**
         * See {@link ServerOptions#shutdownGracePeriod()}.
         *
         * @param shutdownGracePeriod the grace period
         * @return this builder
         */
        public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = shutdownGracePeriod;
            return this;
        }

        /**
         * See {@link ServerOptions#receiveTimeout()}.
         *
         * @param receiveTimeout the timeout, or {@code null} to wait as long as it takes
         * @return this builder
         */
        public Builder receiveTimeout(@Nullable Duration receiveTimeout) {
            this.receiveTimeout = receiveTimeout;
            return this;
        }

        /**
         * See {@link ServerOptions#idleTimeout()}.
         *
         * @param idleTimeout the timeout, or {@code null} for no limit
         * @return this builder
         */
        public Builder idleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * See {@link ServerOptions#clientThreadFactory()}.
         *
         * @param clientThreadFactory makes the thread of each client
         * @return this builder
         */
        public Builder clientThreadFactory(ThreadFactory clientThreadFactory) {
            this.clientThreadFactory = clientThreadFactory;
            return this;
        }

        /**
         * See {@link ServerOptions#ancillaryBufferSize()}.
         *
         * @param ancillaryBufferSize the buffer in bytes, or {@code null} to pass no descriptors
         * @return this builder
         */
        public Builder ancillaryBufferSize(@Nullable Integer ancillaryBufferSize) {
            this.ancillaryBufferSize = ancillaryBufferSize;
            return this;
        }

        /**
         * See {@link ServerOptions#accessPolicy()}.
         *
         * @param accessPolicy who may connect
         * @return this builder
         */
        public Builder accessPolicy(AccessPolicy accessPolicy) {
            this.accessPolicy = accessPolicy;
            return this;
        }

        /**
         * See {@link ServerOptions#socketFileGroup()}.
         *
         * @param socketFileGroup the group's name, or {@code null} for the process's group
         * @return this builder
         */
        public Builder socketFileGroup(@Nullable String socketFileGroup) {
            this.socketFileGroup = socketFileGroup;
            return this;
        }

        /**
         * See {@link ServerOptions#peerCredentials()}.
         *
         * @param peerCredentials {@code true} to read them
         * @return this builder
         */
        public Builder peerCredentials(boolean peerCredentials) {
            this.peerCredentials = peerCredentials;
            return this;
        }

        /**
         * See {@link ServerOptions#requireSystemdSocket()}.
         *
         * @param requireSystemdSocket {@code true} to require a socket systemd passed
         * @return this builder
         */
        public Builder requireSystemdSocket(boolean requireSystemdSocket) {
            this.requireSystemdSocket = requireSystemdSocket;
            return this;
        }

        /**
         * See {@link ServerOptions#sendTimeout()}.
         *
         * @param sendTimeout the timeout, or {@code null} for no limit
         * @return this builder
         */
        public Builder sendTimeout(@Nullable Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        /**
         * See {@link ServerOptions#minReceiveRate()}.
         *
         * @param minReceiveRate the guard, or {@code null} to turn it off
         * @return this builder
         */
        public Builder minReceiveRate(@Nullable MinReceiveRate minReceiveRate) {
            this.minReceiveRate = minReceiveRate;
            return this;
        }

        /**
         * See {@link ServerOptions#maxQueuedSends()}.
         *
         * @param maxQueuedSends the most waiting sends per client
         * @return this builder
         */
        public Builder maxQueuedSends(int maxQueuedSends) {
            this.maxQueuedSends = maxQueuedSends;
            return this;
        }

        /**
         * See {@link ServerOptions#maxDescriptors()}.
         *
         * @param maxDescriptors the most descriptors one connection holds for packets not yet received
         * @return this builder
         */
        public Builder maxDescriptors(int maxDescriptors) {
            this.maxDescriptors = maxDescriptors;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the option whose value is out of range
         */
        public ServerOptions build() {
            return new ServerOptions(backlog, socketFileMode, maxConnections, maxPacketSize, receiveBufferSize,
                    logClientConnections, shutdownGracePeriod, receiveTimeout, idleTimeout, clientThreadFactory,
                    ancillaryBufferSize, accessPolicy, socketFileGroup, peerCredentials, requireSystemdSocket,
                    sendTimeout, minReceiveRate, maxQueuedSends, maxDescriptors);
        }
    }
}
