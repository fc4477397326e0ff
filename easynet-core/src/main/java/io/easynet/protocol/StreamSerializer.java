package io.easynet.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Turns packets of one type into framed bytes and back, for a byte stream.
 *
 * <p>A serializer is stateless and shared by every connection; the per-connection parsing state lives in the
 * {@link StreamDecoder} that {@link #newDecoder(int)} creates for each connection.
 *
 * @param <T> the packet type
 */
public interface StreamSerializer<T> {

    /**
     * Writes one packet, framing included, at the end of {@code out}.
     *
     * @param packet the packet to encode
     * @param out the buffer the framed bytes are appended to
     * @throws IllegalArgumentException if the packet cannot be represented by this serializer; nothing usable
     *     has been written then, and the caller discards {@code out}'s new bytes
     */
    void encode(T packet, PacketBuffer out);

    /**
     * {@return the whole frame of {@code packet} when it is an array the packet already holds, or {@code null} to
     * have it {@linkplain #encode encoded}} A connection writes such a frame as it stands, without copying it into
     * its send buffer first; the array must not change while it is being sent. {@code null} by default; raw bytes,
     * whose frame is the packet itself, return it.
     *
     * @param packet the packet about to be sent
     */
    default byte @Nullable [] frameOf(T packet) {
        return null;
    }

    /**
     * Creates the incremental parser for one connection.
     *
     * @param maxPacketSize the largest packet, framing excluded, that the decoder accepts before it reports a
     *     {@link StreamProtocolParseException.Reason#PACKET_TOO_LARGE} error
     * @return a decoder with no bytes buffered yet
     */
    StreamDecoder<T> newDecoder(int maxPacketSize);

    /**
     * {@return this serializer seen through {@code converter}: sent objects are converted to wire packets before
     * encoding, and decoded packets converted back, a conversion failure surfacing at the receive point as a {@link
     * StreamProtocolParseException} with reason {@code CONVERSION_FAILED}}
     *
     * @param <A> the application's type
     * @param converter converts between the application's type and this serializer's
     */
    default <A> StreamSerializer<A> converted(PacketConverter<A, T> converter) {
        return new ConvertedSerializer<>(this, java.util.Objects.requireNonNull(converter, "converter"));
    }
}
