package io.easynet.transport;

import java.io.IOException;
import java.net.SocketOption;
import java.util.Set;

/**
 * Low-level access to one socket's options ({@code setsockopt}/{@code getsockopt}) without access to the socket
 * itself, so that application code cannot read, write or close it behind the server's back.
 */
public interface SocketProxy {

    /**
     * {@return the value of a socket option}
     *
     * @param <T> the type of the option's value
     * @param option the option
     * @throws IOException if the socket is closed or the option cannot be read
     */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /**
     * Sets a socket option.
     *
     * @param <T> the type of the option's value
     * @param option the option
     * @param value the new value
     * @throws IOException if the socket is closed or the option cannot be set
     */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /** {@return the options this socket supports} */
    Set<SocketOption<?>> supportedOptions();
}
