package io.easynet.benchmarks.servers;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * The Netty 4.2 baseline: an epoll {@link EpollServerDomainSocketChannel} with Netty's defaults (pooled direct
 * buffers, auto-read, one event-loop group of 2 x cores threads). Each buffer read is written back and the writes
 * are flushed once per read batch ({@code channelReadComplete}), as Netty's own echo example does: one
 * {@code writev} per batch instead of one syscall per message. {@code line} mode frames with a
 * {@link LineBasedFrameDecoder} that keeps the newline, so each frame goes back as received.
 *
 * <p>Arguments: the socket path and {@code raw} or {@code line}.
 */
public final class NettyEchoServer {

    /** The longest line accepted, as the core's default packet limit is far above the payloads. */
    private static final int MAX_LINE = 1 << 20;

    private NettyEchoServer() {
    }

    /** Serves until the process is killed. */
    public static void main(String[] args) throws Exception {
        String path = args[0];
        boolean lines = EchoMode.parse(args[1]) == EchoMode.LINE;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
        ChannelHandler echo = new Echo();
        new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                    @Override
                    protected void initChannel(DomainSocketChannel channel) {
                        if (lines) {
                            channel.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, false, true));
                        }
                        channel.pipeline().addLast(echo);
                    }
                })
                .bind(new DomainSocketAddress(path)).sync();
        Ready.announce();
        group.terminationFuture().sync();
    }

    /** Writes back every message (a raw buffer or a whole line) and flushes at the end of each read batch. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
