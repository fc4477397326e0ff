package io.easynet.protocol;

import io.easynet.internal.protocol.ByteSearch;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A growable byte array that serializers write encoded packets into.
 *
 * <p>It is an {@link OutputStream} so that libraries such as Jackson can write into it directly, and it lets a
 * serializer patch bytes it wrote earlier (a length prefix written before the body it counts). One buffer is
 * reused for every packet a connection sends, so encoding allocates nothing once it has grown to size. Not
 * thread-safe.
 */
public final class PacketBuffer extends OutputStream {

    private byte[] bytes;

    private int size;

    /** The view {@link #readView()} hands out; {@code null} until asked for and whenever the storage is replaced. */
    private @Nullable ByteBuffer readView;

    /**
     * Creates a buffer with room for {@code initialCapacity} bytes before it grows.
     *
     * @param initialCapacity the first capacity in bytes; the buffer grows as needed
     */
    public PacketBuffer(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must not be negative, got " + initialCapacity);
        }
        this.bytes = new byte[initialCapacity];
    }

    /** {@return how many bytes have been written since the last {@link #reset()}} */
    public int size() {
        return size;
    }

    /** {@return how many bytes the buffer holds before it has to grow} */
    public int capacity() {
        return bytes.length;
    }

    /** Forgets the written bytes, keeping the storage. */
    public void reset() {
        size = 0;
    }

    /**
     * Forgets the written bytes and the storage beyond {@code capacity}, so one huge packet does not pin memory.
     *
     * @param capacity the capacity in bytes the buffer shrinks back to if it grew beyond it
     */
    public void reset(int capacity) {
        size = 0;
        if (bytes.length > capacity) {
            bytes = new byte[capacity];
            readView = null;
        }
    }

    /**
     * Cuts the written bytes back to the first {@code newSize}, undoing a partly written packet.
     *
     * @param newSize the new size in bytes, at most the current one
     */
    public void truncate(int newSize) {
        Objects.checkIndex(newSize, size + 1);
        size = newSize;
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        ensureCapacity(size + length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /**
     * Appends the readable bytes of {@code source}, leaving its position at its limit.
     *
     * @param source the bytes to append, from its position to its limit; its position is advanced
     */
    public void write(ByteBuffer source) {
        int length = source.remaining();
        ensureCapacity(size + length);
        source.get(bytes, size, length);
        size += length;
    }

    /**
     * Overwrites the byte at {@code index}, which must already have been written.
     *
     * @param index the position of the byte, from 0
     * @param value the byte to store
     */
    public void set(int index, byte value) {
        Objects.checkIndex(index, size);
        bytes[index] = value;
    }

    /**
     * {@return where {@code sequence} first occurs in the written bytes at or after {@code from}, or -1}
     *
     * @param sequence the bytes to look for
     * @param from the position to start looking at
     */
    public int indexOf(byte[] sequence, int from) {
        Objects.checkIndex(from, size + 1);
        return ByteSearch.indexOf(bytes, from, size, sequence);
    }

    /** {@return a read-only view of the written bytes; valid until the next write or reset} */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size).asReadOnlyBuffer();
    }

    /**
     * A read-only view of the written bytes like {@link #asByteBuffer()}, but the same object at every call while the
     * storage stays the same, positioned anew on the written bytes: a connection that writes one packet at a time
     * sends without allocating. Valid until the next write, reset or call of this method.
     *
     * @return the view, positioned on the bytes written so far
     */
    public ByteBuffer readView() {
        ByteBuffer view = readView;
        if (view == null) {
            view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            readView = view;
        }
        return view.clear().limit(size);
    }

    /** {@return a copy of the written bytes} */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensureCapacity(int required) {
        if (required < 0 || required > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("packet larger than the 2 GiB a buffer can hold");
        }
        if (required > bytes.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(required, Math.max(64L, bytes.length * 2L)));
            bytes = Arrays.copyOf(bytes, Math.max(grown, required));
            readView = null;
        }
    }
}
