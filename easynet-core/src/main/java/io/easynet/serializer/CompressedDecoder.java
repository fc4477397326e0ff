package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.serializer.WrappingSerializer.PacketTooLargeException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;

/**
 * The incremental parser of {@link CompressedSerializer}: each packet is one compressed stream, whose own end marker
 * says where the next packet starts.
 *
 * <p>Received bytes are fed to the inflater as they arrive and consumed at once, so nothing compressed is kept in
 * the receive buffer. A packet that passes the limit, inflated or on the wire, is reported as soon as it does; the
 * rest of its stream is inflated into the void up to its end marker, and the packet after it is read normally.
 * Corrupt data is different: without a valid stream there is no end marker to find, so every byte buffered is
 * dropped, as EasyNetwork does, and the bytes that arrive next are read as the start of a new packet.
 */
final class CompressedDecoder<T> implements StreamDecoder<T> {

    private final CompressionFormat format;

    private final PacketSerializer<T> inner;

    private final int maxPacketSize;

    private final long maxCompressedSize;

    private final Inflation inflation;

    private long streamOffset;

    private long packetStart;

    /** How many bytes of the current packet's compressed stream have been consumed. */
    private long compressedSize;

    /** Bytes inflated and thrown away while skipping the current packet. */
    private long skippedOutput;

    /** Whether the current packet was refused as too large and the rest of its stream is being skipped. */
    private boolean skipping;

    /**
     * How much a refused packet may inflate, in packet limits, while its end is looked for: enough for any honest
     * oversize packet, while a bomb (a thousandfold ratio) is cut after this much work.
     */
    private static final int SKIP_BUDGET_FACTOR = 256;

    CompressedDecoder(CompressionFormat format, PacketSerializer<T> inner, int maxPacketSize) {
        this.format = format;
        this.inner = inner;
        this.maxPacketSize = maxPacketSize;
        this.maxCompressedSize = CompressedSerializer.maxCompressedSize(maxPacketSize);
        this.inflation = new Inflation(format);
    }

    @Override
    public boolean decode(ByteBuffer buffer, Consumer<? super T> sink) throws StreamProtocolParseException {
        while (buffer.hasRemaining()) {
            if (compressedSize == 0) {
                packetStart = streamOffset;
            }
            // Offer no more than one byte past the wire limit, so that an endless stream is cut right there.
            int offered = skipping ? buffer.remaining()
                    : (int) Math.min(buffer.remaining(), maxCompressedSize + 1 - compressedSize);
            int used;
            try {
                used = inflation.inflate(buffer.array(), buffer.arrayOffset() + buffer.position(), offered,
                        maxPacketSize);
            } catch (DataFormatException e) {
                int dropped = buffer.remaining();
                consume(buffer, dropped);
                boolean reported = skipping;
                restart();
                if (reported) {
                    return false;
                }
                throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart, "corrupt " + format
                        + " data: " + e.getMessage() + "; the " + dropped + " bytes received after the packet's start "
                        + "are dropped, since its end cannot be found", e);
            }
            consume(buffer, used);
            compressedSize += used;
            if (skipping) {
                skippedOutput += inflation.outputSize();
                inflation.discardOutput();
                if (inflation.finished()) {
                    // stop at the end of the refused packet, so that the caller can place what came with its bytes
                    restart();
                    return false;
                } else if (skippedOutput > SKIP_BUDGET_FACTOR * (long) maxPacketSize) {
                    // A bomb: finding its end would cost far more inflating than any packet may. Drop what arrived,
                    // as for corrupt data; the packet was already reported.
                    consume(buffer, buffer.remaining());
                    restart();
                    return false;
                }
                continue;
            }
            if (inflation.outputSize() > maxPacketSize) {
                throw tooLarge("inflates to more than the " + maxPacketSize + "-byte limit");
            }
            if (compressedSize > maxCompressedSize) {
                throw tooLarge("is longer than the " + maxCompressedSize + " compressed bytes allowed for the "
                        + maxPacketSize + "-byte limit");
            }
            if (inflation.finished()) {
                return deliver(sink);
            }
        }
        return false;
    }

    private boolean deliver(Consumer<? super T> sink) throws StreamProtocolParseException {
        T packet;
        try {
            packet = WrappingSerializer.deserialize(inner, inflation.output(), 0, inflation.outputSize(),
                    maxPacketSize);
        } catch (PacketTooLargeException e) {
            restart();
            throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, e.getMessage(), e);
        } catch (DeserializeException e) {
            restart();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StreamProtocolParseException(Reason.INVALID_PACKET, packetStart, e.getMessage(), cause);
        }
        restart();
        sink.accept(packet);
        return true;
    }

    private StreamProtocolParseException tooLarge(String why) {
        skipping = true;
        inflation.discardOutput();
        return new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, packetStart, format + " packet " + why
                + "; skipped up to the end of its compressed stream");
    }

    @Override
    public boolean isSkipping() {
        return skipping;
    }

    @Override
    public void close() {
        inflation.end();
    }

    private void restart() {
        inflation.reset();
        compressedSize = 0;
        skippedOutput = 0;
        skipping = false;
    }

    private void consume(ByteBuffer buffer, int count) {
        buffer.position(buffer.position() + count);
        streamOffset += count;
    }
}
