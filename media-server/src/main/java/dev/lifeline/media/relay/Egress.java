package dev.lifeline.media.relay;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;

/** Where the relay core sends datagrams; the Netty channel in production, a list in tests. */
public interface Egress {

    /**
     * Queues {@code packet} (one reference passes to the egress) for {@code to}. Returns false, having
     * released it, when the socket is backed up: the relay drops rather than queue without bound. The
     * same buffer may be sent to several addresses: read it, never move its reader or writer index.
     */
    boolean send(ByteBuf packet, InetSocketAddress to);

    /** Allocates a small buffer for a control reply. */
    ByteBuf allocate(int capacity);
}
