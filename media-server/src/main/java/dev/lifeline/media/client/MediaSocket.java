package dev.lifeline.media.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;

import dev.lifeline.media.packet.PacketFormat;

/**
 * One UDP socket connected to one relay. Connected, so that the kernel filters out datagrams from
 * anyone else and an ICMP port-unreachable (relay process gone) surfaces at once as an error.
 */
final class MediaSocket implements AutoCloseable {

    /** Why a relay is given up on. */
    enum Loss {
        /** ICMP port-unreachable on the connected socket: nothing listens there any more. Decisive. */
        UNREACHABLE,
        /** Keepalives missed in a row, beyond the adaptive bound ({@link RelayLiveness}): suspicion confirmed. */
        SILENT,
        /** GOAWAY, or PONGs saying draining: the relay is alive and wants its clients to move (make-before-break). */
        DRAINING;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    interface Events {
        void onMedia(ByteBuffer packet, long receivedNanos);

        /** The relay is draining or gone: time to move. */
        void onRelayLost(MediaSocket socket, Loss loss);
    }

    private final DatagramChannel channel;
    private final Events events;
    private final Thread receiver;
    final String relayId;
    final RelayLiveness liveness;
    final CompletableFuture<Integer> bound = new CompletableFuture<>();
    volatile int bindingId = -1;
    private volatile boolean closed;

    MediaSocket(String relayId, InetSocketAddress relay, RelayLiveness liveness, Events events, String name)
            throws IOException {
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        this.channel.connect(relay);
        this.relayId = relayId;
        this.liveness = liveness;
        this.events = events;
        this.receiver = new Thread(this::receiveLoop, name);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    void sendBind(String mediaToken) {
        send(PacketFormat.bind(mediaToken));
    }

    private long lastKeepaliveNanos;

    /**
     * The nonce is the send time, which the PONG echoes: a round-trip sample for the liveness bound. A tick later than
     * {@code intervalNanos} after the previous one tells the liveness that our own process is short of CPU.
     */
    void sendKeepalive(long nowNanos, long intervalNanos) {
        int id = bindingId;
        if (id >= 0) {
            if (lastKeepaliveNanos != 0) {
                liveness.tickLate(nowNanos - lastKeepaliveNanos - intervalNanos);
            }
            lastKeepaliveNanos = nowNanos;
            liveness.keepaliveSent(nowNanos);
            send(PacketFormat.keepalive(id, nowNanos));
        }
    }

    void sendLeave() {
        int id = bindingId;
        if (id >= 0) {
            send(PacketFormat.leave(id));
        }
    }

    /** Sends a MEDIA packet; {@code packet} has {@link PacketFormat#MEDIA_HEADER} bytes of room at its start. */
    boolean sendMedia(ByteBuffer packet) {
        int id = bindingId;
        if (id < 0) {
            return false;
        }
        PacketFormat.mediaHeader(packet, id);
        return send(packet);
    }

    private boolean send(ByteBuffer packet) {
        try {
            return channel.write(packet) > 0;
        } catch (PortUnreachableException e) {
            unreachable();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Nothing listens at the relay's address: a bind in progress fails now instead of at its timeout. */
    private void unreachable() {
        bound.completeExceptionally(new PortUnreachableException("relay unreachable"));
        events.onRelayLost(this, Loss.UNREACHABLE);
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        while (!closed) {
            buffer.clear();
            try {
                channel.read(buffer);
            } catch (PortUnreachableException e) {
                unreachable();
                continue;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            buffer.flip();
            if (!buffer.hasRemaining()) {
                continue;
            }
            long now = System.nanoTime();
            switch (buffer.get(0)) {
                case PacketFormat.MEDIA -> {
                    liveness.heard(now);
                    events.onMedia(buffer, now);
                }
                case PacketFormat.PONG -> {
                    if (buffer.limit() >= PacketFormat.PONG_LENGTH) {
                        liveness.pong(buffer.getLong(1), now);
                        if (buffer.get(9) == PacketFormat.STATUS_DRAINING) {
                            events.onRelayLost(this, Loss.DRAINING);
                        }
                    }
                }
                case PacketFormat.BIND_ACK -> {
                    if (buffer.limit() >= PacketFormat.BIND_ACK_LENGTH) {
                        liveness.heard(now);
                        bindingId = buffer.getInt(1);
                        bound.complete(bindingId);
                    }
                }
                case PacketFormat.BIND_REJECT -> bound.completeExceptionally(new IOException("bind rejected"));
                case PacketFormat.GOAWAY -> events.onRelayLost(this, Loss.DRAINING);
                default -> {
                    // Nothing else is expected from a relay; ignore rather than trust it.
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a UDP socket cannot fail in a way that matters here.
        }
        bound.completeExceptionally(new IOException("closed"));
    }
}
