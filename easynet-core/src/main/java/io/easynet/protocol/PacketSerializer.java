package io.easynet.protocol;

/**
 * The one-shot form of a serializer, as EasyNetwork's {@code AbstractPacketSerializer}: one packet to bytes and
 * back, with no stream framing. Wrappers (base64, compression) build on it: they frame the bytes of the inner
 * serializer their own way.
 *
 * @param <T> the packet type
 */
public interface PacketSerializer<T> {

    /**
     * The bytes of one packet, without framing.
     *
     * @throws IllegalArgumentException if the packet cannot be represented by this serializer
     */
    byte[] serialize(T packet);

    /**
     * The packet {@code data[offset, offset + length)} holds, all of it.
     *
     * @throws DeserializeException saying what is wrong with the bytes
     */
    T deserialize(byte[] data, int offset, int length) throws DeserializeException;
}
