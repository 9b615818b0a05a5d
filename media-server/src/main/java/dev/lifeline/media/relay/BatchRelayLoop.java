package dev.lifeline.media.relay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.lifeline.media.udp.BatchUdpSocket;
import dev.lifeline.media.udp.MessageArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.collection.LongObjectHashMap;

/**
 * One relay thread on one {@link BatchUdpSocket}: receive a batch ({@code recvmmsg}), let the
 * {@link RelayCore} act on each datagram, send what it produced as one batch ({@code sendmmsg}),
 * repeat. After warm-up nothing here allocates per datagram: the message arrays are reused, the
 * sender's {@link InetSocketAddress} comes from a cache keyed by (address, port), and forwarded
 * bytes are copied into the send array.
 */
final class BatchRelayLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchRelayLoop.class);
    static final int RECEIVE_TIMEOUT_MILLIS = 50;
    private static final int BATCH = 64;
    /** A room with many members makes several copies per datagram: room for four per received one. */
    private static final int SEND_BATCH = BATCH * 4;
    /** Past this many distinct senders (a spoofing flood) the cache starts over rather than grow. */
    private static final int MAX_CACHED_SENDERS = 1 << 16;

    private final RelayCore core;
    private final BatchUdpSocket socket;
    private final MessageArray in;
    private final MessageArray out;
    private final LongObjectHashMap<InetSocketAddress> senders = new LongObjectHashMap<>();
    private final BatchEgress egress = new BatchEgress();
    private final AtomicBoolean goAwayRequested = new AtomicBoolean();
    private final AtomicLong maxLagNanos;
    private final Thread thread;
    private volatile boolean running = true;

    BatchRelayLoop(RelayCore core, InetSocketAddress bindTo, int index, AtomicLong maxLagNanos) throws IOException {
        this.core = core;
        this.maxLagNanos = maxLagNanos;
        this.socket = BatchUdpSocket.open(bindTo, true, 4 << 20, RECEIVE_TIMEOUT_MILLIS);
        this.in = new MessageArray(BATCH, RelayServer.DATAGRAM_SLOT);
        this.out = new MessageArray(SEND_BATCH, RelayServer.DATAGRAM_SLOT);
        this.thread = new Thread(this, "relay-" + index);
        thread.setDaemon(true);
    }

    BatchRelayLoop start() {
        thread.start();
        return this;
    }

    int port() {
        return socket.port();
    }

    long threadId() {
        return thread.getId();
    }

    /** Asks the loop to send GOAWAY to every bound client; done on the loop's own thread, which owns the socket. */
    void requestGoAway() {
        goAwayRequested.set(true);
    }

    @Override
    public void run() {
        while (running) {
            long waitStart = System.nanoTime();
            int count;
            try {
                count = socket.receive(in);
            } catch (IOException e) {
                LOG.debugf("relay socket error: %s", e.getMessage());
                continue;
            }
            long received = System.nanoTime();
            for (int i = 0; i < count; i++) {
                try {
                    core.onDatagram(in.received(i), sender(in.ipv4(i), in.port(i)), egress);
                } catch (RuntimeException e) {
                    // The core counts bad input instead of throwing; should a bug throw anyway, one
                    // datagram is lost, not the thread (Netty's pipeline gave the same guarantee).
                    LOG.errorf(e, "relay dropped a datagram it failed to handle");
                }
            }
            if (goAwayRequested.getAndSet(false)) {
                core.sendGoAway(egress);
            }
            egress.flush();
            recordLag(waitStart, received, System.nanoTime());
        }
    }

    /**
     * Lag as the event-loop probe measured it: how long a datagram can wait for this thread. That is
     * the time to work through a batch, or, when idle, how far past its timeout a receive returned
     * (the thread was runnable but got no CPU).
     */
    private void recordLag(long waitStart, long received, long done) {
        long overslept = received - waitStart - TimeUnit.MILLISECONDS.toNanos(RECEIVE_TIMEOUT_MILLIS);
        long lag = Math.max(done - received, overslept);
        if (lag > maxLagNanos.get()) {
            maxLagNanos.accumulateAndGet(lag, Math::max);
        }
    }

    private InetSocketAddress sender(int ipv4, int port) {
        long key = (ipv4 & 0xFFFFFFFFL) << 16 | port;
        InetSocketAddress sender = senders.get(key);
        if (sender == null) {
            if (senders.size() >= MAX_CACHED_SENDERS) {
                senders.clear();
            }
            sender = new InetSocketAddress(toAddress(ipv4), port);
            senders.put(key, sender);
        }
        return sender;
    }

    private static InetAddress toAddress(int ipv4) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            // A receive returns within its timeout, so the thread sees running = false soon.
            thread.join(RECEIVE_TIMEOUT_MILLIS * 20L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        if (!thread.isAlive()) {
            in.close();
            out.close();
        }
    }

    /** Collects the core's output into the send array; used only from the loop's thread. */
    private final class BatchEgress implements Egress {

        private int count;

        @Override
        public boolean send(ByteBuf packet, InetSocketAddress to) {
            try {
                if (!(to.getAddress() instanceof Inet4Address)) {
                    return false;
                }
                if (count == out.capacity()) {
                    flush();
                }
                out.setOutgoing(count++, packet, BatchUdpSocket.ipv4(to.getAddress()), to.getPort());
                return true;
            } finally {
                packet.release();
            }
        }

        @Override
        public ByteBuf allocate(int capacity) {
            return PooledByteBufAllocator.DEFAULT.directBuffer(capacity);
        }

        void flush() {
            if (count > 0) {
                int refused = socket.send(out, count);
                if (refused > 0) {
                    // Counted as forwarded when queued; they never left, so they are the relay's own loss.
                    core.counters().forwarded.add(-refused);
                    core.counters().overloadDropped.add(refused);
                }
                count = 0;
            }
        }
    }
}
