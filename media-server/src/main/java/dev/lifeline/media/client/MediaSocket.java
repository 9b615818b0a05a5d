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

    interface Events {
        void onMedia(ByteBuffer packet, long receivedNanos);

        /** The relay is draining, refused the bind, or is unreachable: time to resume. */
        void onRelayLost(MediaSocket socket, String reason);
    }

    private final DatagramChannel channel;
    private final Events events;
    private final Thread receiver;
    final CompletableFuture<Integer> bound = new CompletableFuture<>();
    volatile int bindingId = -1;
    volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean closed;

    MediaSocket(InetSocketAddress relay, Events events, String name) throws IOException {
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        this.channel.connect(relay);
        this.events = events;
        this.receiver = new Thread(this::receiveLoop, name);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    void sendBind(String mediaToken) {
        send(PacketFormat.bind(mediaToken));
    }

    void sendKeepalive(long nonce) {
        int id = bindingId;
        if (id >= 0) {
            send(PacketFormat.keepalive(id, nonce));
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
            events.onRelayLost(this, "unreachable");
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        while (!closed) {
            buffer.clear();
            try {
                channel.read(buffer);
            } catch (PortUnreachableException e) {
                events.onRelayLost(this, "unreachable");
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
                    lastHeardNanos = now;
                    events.onMedia(buffer, now);
                }
                case PacketFormat.PONG -> {
                    lastHeardNanos = now;
                    if (buffer.limit() >= PacketFormat.PONG_LENGTH && buffer.get(9) == PacketFormat.STATUS_DRAINING) {
                        events.onRelayLost(this, "draining");
                    }
                }
                case PacketFormat.BIND_ACK -> {
                    if (buffer.limit() >= PacketFormat.BIND_ACK_LENGTH) {
                        lastHeardNanos = now;
                        bindingId = buffer.getInt(1);
                        bound.complete(bindingId);
                    }
                }
                case PacketFormat.BIND_REJECT -> bound.completeExceptionally(new IOException("bind rejected"));
                case PacketFormat.GOAWAY -> events.onRelayLost(this, "draining");
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
