package io.easynet.client;

import io.easynet.transport.Ancillary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link UnixStreamClient} connects and receives.
 *
 * @param connectTimeout how long to wait when the server's backlog is full
 * @param localPath where to bind the client's end first, or {@code null} for an unnamed socket
 * @param maxPacketSize the largest packet accepted from the server, in bytes, framing excluded
 * @param receiveBufferSize the most one read asks for; reads start at 1 KiB and adapt to what the server sends,
 *     and the buffer still grows to hold a packet up to the limit
 * @param ancillaryBufferSize room for file descriptors received with each read, in bytes
 *     ({@link Ancillary#bufferSizeFor(int)} for n descriptors; 24 to {@link Ancillary#MAX_RECEIVE_BUFFER_SIZE}), or
 *     {@code null} to refuse descriptor passing; when set, the client runs on junixsocket
 * @param peerCredentials whether the server's pid, uid and gid are read at connect for
 *     {@link UnixStreamClient#peerCredentials()}; the client then runs on junixsocket
 */
public record ClientOptions(Duration connectTimeout, @Nullable Path localPath, int maxPacketSize,
        int receiveBufferSize, @Nullable Integer ancillaryBufferSize, boolean peerCredentials) {

    /** 30 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** 64 KiB, as the server's default. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024;

    /** 16 KiB, EasyNetwork's {@code max_recv_size}. */
    public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 16 * 1024;

    /**
     * Checks every option and names the one that is wrong.
     *
     * @throws IllegalArgumentException also if a local path is combined with what needs junixsocket, which cannot
     *     bind a client socket to a path
     */
    public ClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
        if (maxPacketSize <= 0) {
            throw new IllegalArgumentException("maxPacketSize must be positive, got " + maxPacketSize);
        }
        if (receiveBufferSize <= 0) {
            throw new IllegalArgumentException("receiveBufferSize must be positive, got " + receiveBufferSize);
        }
        if (ancillaryBufferSize != null) {
            Ancillary.requireReceiveBufferSize("ancillaryBufferSize", ancillaryBufferSize);
        }
        if (localPath != null && (ancillaryBufferSize != null || peerCredentials)) {
            throw new IllegalArgumentException("localPath " + localPath + " cannot be combined with "
                    + (ancillaryBufferSize != null ? "ancillaryBufferSize" : "peerCredentials") + ": that needs "
                    + "junixsocket, which cannot bind a client socket to a path");
        }
    }

    /**
     * {@return the defaults: 30-second connect timeout, unnamed socket, 64 KiB packets, 16 KiB reads, no descriptors}
     */
    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_CONNECT_TIMEOUT, null, DEFAULT_MAX_PACKET_SIZE, DEFAULT_RECEIVE_BUFFER_SIZE,
                null, false);
    }

    /**
     * {@return these options with another connect timeout}
     *
     * @param timeout how long a connect may wait while the server's backlog is full
     */
    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(timeout, localPath, maxPacketSize, receiveBufferSize, ancillaryBufferSize,
                peerCredentials);
    }

    /**
     * {@return these options with the client's end bound at {@code path}}
     *
     * @param path the path to bind the client's socket to, or {@code null} for an unnamed socket
     */
    public ClientOptions withLocalPath(@Nullable Path path) {
        return new ClientOptions(connectTimeout, path, maxPacketSize, receiveBufferSize, ancillaryBufferSize,
                peerCredentials);
    }

    /**
     * {@return these options with another packet limit}
     *
     * @param size the largest packet accepted from the server, in bytes
     */
    public ClientOptions withMaxPacketSize(int size) {
        return new ClientOptions(connectTimeout, localPath, size, receiveBufferSize, ancillaryBufferSize,
                peerCredentials);
    }

    /**
     * {@return these options with descriptor passing on ({@code size} bytes of ancillary buffer) or off ({@code null})}
     *
     * @param size the ancillary receive buffer in bytes, or {@code null} to pass no file descriptors
     */
    public ClientOptions withAncillaryBufferSize(@Nullable Integer size) {
        return new ClientOptions(connectTimeout, localPath, maxPacketSize, receiveBufferSize, size, peerCredentials);
    }

    /**
     * {@return these options with the server's credentials read at connect, or not}
     *
     * @param read whether to read the server's credentials at connect
     */
    public ClientOptions withPeerCredentials(boolean read) {
        return new ClientOptions(connectTimeout, localPath, maxPacketSize, receiveBufferSize, ancillaryBufferSize,
                read);
    }

    /** Whether these options need the junixsocket transport. */
    boolean needJunixsocket() {
        return ancillaryBufferSize != null || peerCredentials;
    }
}
