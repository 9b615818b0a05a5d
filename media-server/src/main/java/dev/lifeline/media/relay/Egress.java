package dev.lifeline.media.relay;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;

/** Where the relay core sends datagrams; the Netty channel in production, a list in tests. */
public interface Egress {

    /**
     * Queues {@code packet} (ownership passes to the egress) for {@code to}. Returns false, having
     * released the packet, when the socket is backed up: the relay drops rather than queue without bound.
     */
    boolean send(ByteBuf packet, InetSocketAddress to);

    /** Allocates a small buffer for a control reply. */
    ByteBuf allocate(int capacity);
}
