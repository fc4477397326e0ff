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
     * {@return the bytes of one packet, without framing}
     *
     * @param packet the packet to encode
     * @throws IllegalArgumentException if the packet cannot be represented by this serializer
     */
    byte[] serialize(T packet);

    /**
     * {@return the packet {@code data[offset, offset + length)} holds, all of it}
     *
     * @param data the array holding the packet's bytes
     * @param offset where the packet starts in {@code data}
     * @param length how many bytes the packet has
     * @throws DeserializeException saying what is wrong with the bytes
     */
    T deserialize(byte[] data, int offset, int length) throws DeserializeException;
}
