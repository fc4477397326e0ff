package io.easynet.protocol;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The incremental parser of one connection: cuts the bytes received so far into packets.
 *
 * <p>The caller keeps the unread bytes in a heap {@link ByteBuffer} between {@code position} and {@code limit}
 * (or in a direct one, for a decoder that {@linkplain #acceptsDirectBuffers() accepts it}) and calls {@link #decode}
 * after every read. A decoder must advance the position past everything it consumed, also when it throws, so that
 * parsing goes on with the bytes that follow a bad packet (as EasyNetwork does). It must never need more than its
 * packet limit plus a few bytes of framing buffered: past that it reports
 * {@link StreamProtocolParseException.Reason#PACKET_TOO_LARGE} and discards the rest of the packet itself.
 *
 * <p>A decoder that discards the rest of a refused packet says so through {@link #isSkipping()}, and a call in
 * which that rest ends returns {@code false} right at its end, without decoding on: the caller can then tell the
 * bytes of the refused packet from those of the next one (a connection closes the file descriptors that came with
 * the refused packet's bytes) and calls {@code decode} again.
 *
 * <p>Packets are handed to a sink rather than returned, because {@code null} can be a packet (a JSON
 * {@code null}) and so cannot also mean "more bytes needed".
 *
 * @param <T> the packet type
 */
public interface StreamDecoder<T> extends AutoCloseable {

    /**
     * Decodes the next packet from the readable bytes of {@code buffer} and hands it to {@code sink}.
     *
     * @param buffer the bytes received so far, from its position to its limit; consumed bytes advance its position
     * @param sink receives each decoded packet
     * @return {@code true} when a packet was handed to {@code sink}, {@code false} when more bytes are needed or
     *     the rest of a refused packet has just been skipped ({@link #isSkipping()} turned {@code false})
     * @throws StreamProtocolParseException if the next packet is invalid or too large; the bytes of that packet
     *     that were buffered are consumed
     */
    boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException;

    /**
     * {@return whether the decoder reads the buffer through {@link ByteBuffer}'s methods only, never through its
     * array, so that the caller may keep the bytes in a direct buffer} A socket reads into a direct buffer without
     * the JDK's copy through a temporary one. {@code false} by default: most decoders scan the heap buffer's array.
     */
    default boolean acceptsDirectBuffers() {
        return false;
    }

    /**
     * {@return whether the decoder is discarding the rest of a packet it refused, up to that packet's end} The bytes
     * it consumes meanwhile belong to the refused packet. {@code false} by default, for a decoder that never skips.
     */
    default boolean isSkipping() {
        return false;
    }

    /**
     * Releases what the decoder holds outside the heap, such as an {@code Inflater}'s native memory. Called once,
     * by the thread that decodes, when the connection is closed. Does nothing by default.
     */
    @Override
    default void close() {
    }
}
