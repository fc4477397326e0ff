package io.easynet.transport;

import java.io.IOException;
import java.net.SocketOption;
import java.util.Set;

/**
 * Low-level access to one socket's options ({@code setsockopt}/{@code getsockopt}) without access to the socket
 * itself, so that application code cannot read, write or close it behind the server's back.
 */
public interface SocketProxy {

    /** The value of a socket option. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /** Sets a socket option. */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /** The options this socket supports. */
    Set<SocketOption<?>> supportedOptions();
}
