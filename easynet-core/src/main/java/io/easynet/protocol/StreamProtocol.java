package io.easynet.protocol;

import java.util.Objects;

/**
 * What one end of a connection speaks: how the packets it sends are encoded and how the packets it receives are
 * decoded.
 *
 * <p>The type parameters follow the direction of the traffic from this end's point of view, as in EasyNetwork: a
 * server that receives {@code Req} and sends {@code Resp} uses a {@code StreamProtocol<Resp, Req>}, and a client of
 * it a {@code StreamProtocol<Req, Resp>}. Most protocols use one serializer both ways ({@link #of(StreamSerializer)}).
 *
 * @param <Out> the type of the packets sent
 * @param <In> the type of the packets received
 * @param encoder the serializer of sent packets
 * @param decoder the serializer of received packets
 */
public record StreamProtocol<Out, In>(StreamSerializer<Out> encoder, StreamSerializer<In> decoder) {

    /** Checks the serializers. */
    public StreamProtocol {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * {@return a protocol that sends and receives the same packet type with one serializer}
     *
     * @param <T> the type of the packets both ways
     * @param serializer the serializer used both ways
     */
    public static <T> StreamProtocol<T, T> of(StreamSerializer<T> serializer) {
        return new StreamProtocol<>(serializer, serializer);
    }

    /**
     * {@return a protocol that encodes sent packets with {@code encoder} and decodes received ones with {@code
     * decoder}}
     *
     * @param <Out> the type of the packets written
     * @param <In> the type of the packets read
     * @param encoder the serializer that writes outgoing packets
     * @param decoder the serializer that reads incoming packets
     */
    public static <Out, In> StreamProtocol<Out, In> of(StreamSerializer<Out> encoder, StreamSerializer<In> decoder) {
        return new StreamProtocol<>(encoder, decoder);
    }

    /** {@return the same protocol seen from the other end of the connection} */
    public StreamProtocol<In, Out> reversed() {
        return new StreamProtocol<>(decoder, encoder);
    }

    /**
     * Writes one packet, framing included, at the end of {@code out}.
     *
     * @param packet the packet to encode
     * @param out the buffer the framed bytes are appended to
     */
    public void encode(Out packet, PacketBuffer out) {
        encoder.encode(packet, out);
    }

    /**
     * Creates the incremental parser of received packets for one connection.
     *
     * @param maxPacketSize the largest packet the decoder accepts, in bytes
     * @return a decoder with no bytes buffered yet
     */
    public StreamDecoder<In> newDecoder(int maxPacketSize) {
        return decoder.newDecoder(maxPacketSize);
    }
}
