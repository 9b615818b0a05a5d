package dev.lifeline.media.relay;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.lifeline.media.udp.LinuxUdp;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The UDP side of the relay: one datagram socket per relay thread, all bound to the same port with
 * SO_REUSEPORT, so the kernel spreads clients across cores and each thread only ever writes to its
 * own socket. On Linux (64-bit x86/ARM) with an IPv4 bind address each thread is a
 * {@link BatchRelayLoop}: batched {@code recvmmsg}/{@code sendmmsg} on reused message arrays, no
 * allocation per datagram. Elsewhere it runs on Netty: native epoll, or a single NIO socket.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RelayServer.class);
    private static final long LAG_PROBE_MILLIS = 50;
    /** Larger than any valid packet, so an oversize datagram is still seen as oversize (then dropped). */
    static final int DATAGRAM_SLOT = 1536;

    /** How the relay's sockets are driven, best first. */
    public enum Transport { BATCHED, EPOLL, NIO }

    private final RelayCore core;
    private final int threads;
    private final Transport transport;
    private final EventLoopGroup group;
    private final List<BatchRelayLoop> batchLoops = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final boolean nativeEpoll;
    private final AtomicLong maxLagNanos = new AtomicLong();
    private int port;

    public RelayServer(RelayCore core, int threads, String host) {
        this(core, threads, host, true);
    }

    /** {@code batchedAllowed} false: Netty even where the batched path works (tests of the fallback). */
    RelayServer(RelayCore core, int threads, String host, boolean batchedAllowed) {
        this.core = core;
        this.threads = threads;
        this.nativeEpoll = Epoll.isAvailable();
        boolean ipv4 = new InetSocketAddress(host, 0).getAddress() instanceof java.net.Inet4Address;
        if (batchedAllowed && LinuxUdp.available() && ipv4) {
            this.transport = Transport.BATCHED;
            this.group = null;
        } else {
            LOG.warnf("batched UDP unavailable (%s): relay runs on Netty", !batchedAllowed ? "not allowed"
                    : ipv4 ? LinuxUdp.unavailabilityCause() : "bind address " + host + " is not IPv4");
            this.transport = nativeEpoll ? Transport.EPOLL : Transport.NIO;
            this.group = nativeEpoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(1);
            if (!nativeEpoll) {
                LOG.warnf("native epoll unavailable (%s): relay runs on one NIO socket", Epoll.unavailabilityCause());
            }
        }
    }

    public RelayServer start(String host, int requestedPort) throws InterruptedException {
        if (transport == Transport.BATCHED) {
            return startBatched(host, requestedPort);
        }
        int sockets = nativeEpoll ? countLoops() : 1;
        int bindPort = requestedPort;
        for (int i = 0; i < sockets; i++) {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(nativeEpoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    // One buffer of 32 datagram slots per read: with MAX_DATAGRAM_PAYLOAD_SIZE below, epoll
                    // fills it with a single recvmmsg call instead of one recvmsg per packet.
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_SLOT * 32))
                    // Bounded send queue: past the high mark the relay drops and counts (overload) instead of buffering.
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .handler(new Handler());
            if (nativeEpoll) {
                bootstrap.option(EpollChannelOption.SO_REUSEPORT, true)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_SLOT);
            }
            Channel channel = bootstrap.bind(host, bindPort).sync().channel();
            channels.add(channel);
            bindPort = ((InetSocketAddress) channel.localAddress()).getPort();
        }
        port = bindPort;
        for (EventLoop loop : loops()) {
            long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LAG_PROBE_MILLIS)};
            loop.scheduleAtFixedRate(() -> {
                long lag = System.nanoTime() - expected[0];
                expected[0] += TimeUnit.MILLISECONDS.toNanos(LAG_PROBE_MILLIS);
                maxLagNanos.accumulateAndGet(Math.max(0, lag), Math::max);
            }, LAG_PROBE_MILLIS, LAG_PROBE_MILLIS, TimeUnit.MILLISECONDS);
        }
        LOG.infof("relay %s listening on udp %s:%d with %d %s socket(s)", core.relayId(), host, port, sockets,
                nativeEpoll ? "epoll" : "nio");
        return this;
    }

    private RelayServer startBatched(String host, int requestedPort) {
        int bindPort = requestedPort;
        try {
            for (int i = 0; i < threads; i++) {
                BatchRelayLoop loop = new BatchRelayLoop(core, new InetSocketAddress(host, bindPort), i, maxLagNanos);
                batchLoops.add(loop.start());
                bindPort = loop.port();
            }
        } catch (java.io.IOException e) {
            close();
            throw new IllegalStateException("relay cannot open its UDP socket on " + host + ":" + requestedPort, e);
        }
        port = bindPort;
        LOG.infof("relay %s listening on udp %s:%d with %d batched (recvmmsg/sendmmsg) socket(s)", core.relayId(), host,
                port, threads);
        return this;
    }

    public int port() {
        return port;
    }

    /** Ids of the batched relay threads (empty on Netty), for allocation and CPU accounting. */
    long[] threadIds() {
        return batchLoops.stream().mapToLong(BatchRelayLoop::threadId).toArray();
    }

    public Transport transport() {
        return transport;
    }

    /** Native Linux socket I/O (batched or Netty epoll), as opposed to the portable NIO fallback. */
    public boolean nativeEpoll() {
        return transport != Transport.NIO;
    }

    public int sockets() {
        return transport == Transport.BATCHED ? batchLoops.size() : channels.size();
    }

    /** Largest event-loop lag since the last call, in milliseconds. */
    public double takeMaxLagMillis() {
        return maxLagNanos.getAndSet(0) / 1_000_000.0;
    }

    /** Sends GOAWAY to every bound client from the first socket (same port, so clients accept it). */
    public void sendGoAway() {
        if (transport == Transport.BATCHED) {
            // One loop tells every bound client (the table is shared); all sockets share the port.
            batchLoops.get(0).requestGoAway();
            return;
        }
        Channel channel = channels.get(0);
        channel.eventLoop().execute(() -> {
            core.sendGoAway(new ChannelEgress(channel));
            channel.flush();
        });
    }

    @Override
    public void close() {
        for (BatchRelayLoop loop : batchLoops) {
            loop.close();
        }
        if (group == null) {
            return;
        }
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private int countLoops() {
        return loops().size();
    }

    private List<EventLoop> loops() {
        List<EventLoop> loops = new ArrayList<>();
        group.forEach(executor -> loops.add((EventLoop) executor));
        return loops;
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().attr(ChannelEgress.KEY).set(new ChannelEgress(ctx.channel()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            core.onDatagram(packet.content(), packet.sender(), ctx.channel().attr(ChannelEgress.KEY).get());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // One flush per read batch: the epoll transport then sends the batch with sendmmsg.
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port-unreachable from a vanished client surfaces here; it is not a reason to stop.
            LOG.debugf("relay socket error: %s", cause.toString());
        }
    }

    /** Egress onto one channel; used only from that channel's event loop. */
    static final class ChannelEgress implements Egress {

        static final io.netty.util.AttributeKey<ChannelEgress> KEY = io.netty.util.AttributeKey.valueOf("egress");
        private final Channel channel;

        ChannelEgress(Channel channel) {
            this.channel = channel;
        }

        @Override
        public boolean send(ByteBuf packet, InetSocketAddress to) {
            if (!channel.isWritable()) {
                packet.release();
                return false;
            }
            channel.write(new DatagramPacket(packet, to), channel.voidPromise());
            return true;
        }

        @Override
        public ByteBuf allocate(int capacity) {
            return channel.alloc().buffer(capacity);
        }
    }
}
