package io.easynet.internal.transport;

import io.easynet.transport.SocketProxy;
import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.Set;

/** A {@link SocketProxy} over a JDK channel. */
record ChannelSocketProxy(NetworkChannel channel) implements SocketProxy {

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return channel.getOption(option);
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        channel.setOption(option, value);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }
}
