package dev.lifeline.media.udp;

import java.io.IOException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** An epoll set over many {@link BatchUdpSocket}s: which of them have datagrams waiting. */
public final class Readiness implements AutoCloseable {

    private final int epfd;
    private final ByteBuf events;
    private final int maxEvents;

    public Readiness(int maxEvents) throws IOException {
        this.epfd = LinuxUdp.epoll_create1(0);
        if (epfd < 0) {
            throw new IOException("epoll_create1 failed, errno " + LinuxUdp.errno());
        }
        this.maxEvents = maxEvents;
        this.events = Unpooled.directBuffer(maxEvents * LinuxUdp.EPOLL_EVENT);
    }

    /** Watches {@code socket} for input; {@link #token} reports {@code token} when it is readable. */
    public void add(BatchUdpSocket socket, int token) throws IOException {
        events.setZero(0, LinuxUdp.EPOLL_EVENT);
        events.setIntLE(0, LinuxUdp.EPOLLIN).setIntLE(LinuxUdp.EPOLL_EVENT_DATA, token);
        if (LinuxUdp.epoll_ctl(epfd, LinuxUdp.EPOLL_CTL_ADD, socket.fd(), events.memoryAddress()) < 0) {
            throw new IOException("epoll_ctl failed, errno " + LinuxUdp.errno());
        }
    }

    /** Waits up to {@code timeoutMillis}; returns how many sockets are readable (0 on timeout or signal). */
    public int await(int timeoutMillis) {
        return Math.max(0, LinuxUdp.epoll_wait(epfd, events.memoryAddress(), maxEvents, timeoutMillis));
    }

    public int token(int index) {
        return events.getIntLE(index * LinuxUdp.EPOLL_EVENT + LinuxUdp.EPOLL_EVENT_DATA);
    }

    @Override
    public void close() {
        LinuxUdp.close(epfd);
        events.release();
    }
}
