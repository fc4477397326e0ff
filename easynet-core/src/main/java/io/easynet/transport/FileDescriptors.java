package io.easynet.transport;

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

    /** Takes ownership of received descriptors, which this object closes unless they are taken. */
    static FileDescriptors of(FileDescriptor[] received) {
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
     * with {@link FileInputStream#FileInputStream(FileDescriptor)}.
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
     * Its {@link FileInputStream#getChannel() channel} is a read-only {@code FileChannel}.
     *
     * @param index the position of the descriptor, from 0
     * @return a stream reading it, now the caller's to close
     */
    public FileInputStream takeInputStream(int index) {
        return new FileInputStream(take(index));
    }

    /**
     * Takes descriptor {@code index} as a stream that writes to it; closing the stream closes the descriptor.
     * Its {@link FileOutputStream#getChannel() channel} is a write-only {@code FileChannel}.
     *
     * @param index the position of the descriptor, from 0
     * @return a stream writing it, now the caller's to close
     */
    public FileOutputStream takeOutputStream(int index) {
        return new FileOutputStream(take(index));
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
        closeAll(untaken.toArray(FileDescriptor[]::new));
    }

    /** Closes descriptors; the first failure is thrown after every one was tried, later ones suppressed. */
    static void closeAll(FileDescriptor... descriptors) throws IOException {
        IOException failure = null;
        for (FileDescriptor descriptor : descriptors) {
            // The JDK has no public close for a bare descriptor; a stream over it closes it, and runs the clean-up
            // that other owners (such as junixsocket) attached to it.
            try {
                new FileInputStream(descriptor).close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
