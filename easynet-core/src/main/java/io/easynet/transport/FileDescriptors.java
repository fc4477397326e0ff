package io.easynet.transport;

import io.easynet.internal.transport.DescriptorStreams;
import io.easynet.internal.transport.Descriptors;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * File descriptors received from a peer, owned by whoever received them. Take the ones you use; {@link #close()}
 * closes the rest, so a descriptor that arrives and is never claimed does not leak.
 *
 * <p>A taken descriptor belongs to the caller, who closes it (closing a stream made from it does), and it stays
 * valid after the connection it came on is closed.
 */
public final class FileDescriptors implements Closeable {

    private static final FileDescriptors NONE = new FileDescriptors(new FileDescriptor[0]);

    private final ReentrantLock lock = new ReentrantLock();

    /** The descriptors not yet taken or closed; a taken slot is {@code null}. */
    private final @Nullable FileDescriptor[] descriptors;

    private FileDescriptors(@Nullable FileDescriptor[] descriptors) {
        this.descriptors = descriptors;
    }

    /** {@return no descriptors} */
    public static FileDescriptors none() {
        return NONE;
    }

    /**
     * Takes ownership of received descriptors, which this object closes unless they are taken: what a transport
     * hands out with a packet, and what a test of a handler passes it.
     *
     * @param received the descriptors, owned by the result from now on
     * @return the descriptors, {@link #none()} for an empty array
     */
    public static FileDescriptors of(FileDescriptor... received) {
        return received.length == 0 ? NONE : new FileDescriptors(received.clone());
    }

    /** {@return how many descriptors arrived, taken ones included} */
    public int size() {
        return descriptors.length;
    }

    /** {@return whether no descriptor arrived} */
    public boolean isEmpty() {
        return descriptors.length == 0;
    }

    /**
     * Takes descriptor {@code index}: the caller now owns it, and must close it, for example through a stream made
     * with {@link FileInputStream#FileInputStream(FileDescriptor)}. Such a stream blocks its thread in the kernel
     * while it waits, which on a virtual thread holds a carrier thread of the JVM: for anything that may not be a
     * regular file, prefer {@link #takeInputStream(int)} and {@link #takeOutputStream(int)}.
     *
     * @param index the position of the descriptor, from 0
     * @return the descriptor, now the caller's to close
     * @throws IllegalStateException if it was already taken or these descriptors were closed
     */
    public FileDescriptor take(int index) {
        Objects.checkIndex(index, descriptors.length);
        lock.lock();
        try {
            FileDescriptor descriptor = descriptors[index];
            if (descriptor == null) {
                throw new IllegalStateException("descriptor " + index + " was already taken or closed");
            }
            descriptors[index] = null;
            return descriptor;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes descriptor {@code index} as a stream that reads from it; closing the stream closes the descriptor.
     *
     * <p>Its reads are safe on virtual threads whatever the descriptor is. A regular file is read as any
     * {@link FileInputStream} reads it, its {@link FileInputStream#getChannel() channel} a read-only
     * {@code FileChannel}. Any other descriptor (a pipe, FIFO, socket, terminal, device, {@code eventfd}...) may
     * wait for its peer as long as the peer likes, so a read with nothing to read parks the thread until bytes, the
     * end of the stream or an interrupt arrive ({@link java.io.InterruptedIOException}). The descriptor's open file,
     * which the sender shares, is left as it was: a socket is read with {@code MSG_DONTWAIT}; a pipe, FIFO or
     * terminal is opened again, non-blocking, as a file of the server's own (Linux), and the passed descriptor is
     * closed; anything else (an {@code eventfd}, a pipe of another user) is polled until readable and then read
     * blocking, which holds a carrier thread only if the sender drains its own copy in between. Read through the
     * stream: its channel may be non-blocking.
     *
     * @param index the position of the descriptor, from 0
     * @return a stream reading it, now the caller's to close
     * @throws IOException if a descriptor that may wait is not open for reading or cannot be inspected (it is
     *         closed); the descriptor is closed
     */
    public FileInputStream takeInputStream(int index) throws IOException {
        return DescriptorStreams.input(take(index));
    }

    /**
     * Takes descriptor {@code index} as a stream that writes to it; closing the stream closes the descriptor.
     *
     * <p>Its writes are safe on virtual threads whatever the descriptor is: as for
     * {@link #takeInputStream(int)}, a regular file is written as any {@link FileOutputStream} writes it, and for
     * any other descriptor a write that finds no room parks the thread until the peer reads, without changing the
     * open file the sender shares.
     *
     * @param index the position of the descriptor, from 0
     * @return a stream writing it, now the caller's to close
     * @throws IOException if a descriptor that may wait is not open for writing or cannot be inspected (it is
     *         closed); the descriptor is closed
     */
    public FileOutputStream takeOutputStream(int index) throws IOException {
        return DescriptorStreams.output(take(index));
    }

    /** Closes every descriptor that was not taken. Idempotent. */
    @Override
    public void close() throws IOException {
        List<FileDescriptor> untaken = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < descriptors.length; i++) {
                if (descriptors[i] != null) {
                    untaken.add(descriptors[i]);
                    descriptors[i] = null;
                }
            }
        } finally {
            lock.unlock();
        }
        Descriptors.closeAll(untaken.toArray(FileDescriptor[]::new));
    }
}
