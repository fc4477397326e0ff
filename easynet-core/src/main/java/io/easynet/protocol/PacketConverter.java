package io.easynet.protocol;

/**
 * Converts between the objects a handler works with and the packets a serializer puts on the wire, as
 * EasyNetwork's {@code AbstractPacketConverter}: for example a JSON tree to and from a record that the JSON alone
 * cannot express (a tagged union, a validated value). Attach one with {@link StreamSerializer#converted}.
 *
 * @param <A> the application's type
 * @param <W> the wire packet type of the serializer
 */
public interface PacketConverter<A, W> {

    /**
     * {@return the wire packet for an object about to be sent}
     *
     * @param packet the packet in the application's type
     * @throws IllegalArgumentException if the object cannot be sent; nothing is written then
     */
    W toWire(A packet);

    /**
     * {@return the object a received wire packet stands for}
     *
     * @param packet the packet in the serializer's type
     * @throws PacketConversionException saying what is wrong with the packet; the receive point gets it as a
     *     {@link StreamProtocolParseException} with reason {@code CONVERSION_FAILED}, and the next packet is read
     *     normally
     */
    A fromWire(W packet) throws PacketConversionException;
}
