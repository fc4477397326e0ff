package io.easynet.protocol;

import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A stream serializer seen through a {@link PacketConverter}: what {@link StreamSerializer#converted} returns. */
final class ConvertedSerializer<A, W> implements StreamSerializer<A> {

    private final StreamSerializer<W> serializer;

    private final PacketConverter<A, W> converter;

    ConvertedSerializer(StreamSerializer<W> serializer, PacketConverter<A, W> converter) {
        this.serializer = serializer;
        this.converter = converter;
    }

    @Override
    public void encode(A packet, PacketBuffer out) {
        serializer.encode(converter.toWire(packet), out);
    }

    @Override
    public StreamDecoder<A> newDecoder(int maxPacketSize) {
        return new Decoder(serializer.newDecoder(maxPacketSize));
    }

    @Override
    public String toString() {
        return serializer + " converted by " + converter;
    }

    /** Decodes wire packets, then converts them; keeps count of the bytes consumed to say where a packet began. */
    private final class Decoder implements StreamDecoder<A>, Consumer<W> {

        private final StreamDecoder<W> wire;

        private long streamOffset;

        private @Nullable W decoded;

        Decoder(StreamDecoder<W> wire) {
            this.wire = wire;
        }

        @Override
        public void close() {
            wire.close();
        }

        /** The converter sees decoded packets only, never the buffer: the wire decoder decides. */
        @Override
        public boolean acceptsDirectBuffers() {
            return wire.acceptsDirectBuffers();
        }

        @Override
        public boolean isSkipping() {
            return wire.isSkipping();
        }

        @Override
        public void accept(W packet) {
            decoded = packet;
        }

        @Override
        public boolean decode(ByteBuffer buffer, Consumer<? super A> sink) throws StreamProtocolParseException {
            int before = buffer.position();
            boolean complete;
            try {
                complete = wire.decode(buffer, this);
            } finally {
                streamOffset += buffer.position() - before;
            }
            if (!complete) {
                return false;
            }
            W packet = decoded;
            decoded = null;
            try {
                sink.accept(converter.fromWire(packet));
            } catch (PacketConversionException e) {
                long packetStart = streamOffset - (buffer.position() - before);
                throw new StreamProtocolParseException(Reason.CONVERSION_FAILED, packetStart, e.getMessage(), e);
            }
            return true;
        }
    }
}
