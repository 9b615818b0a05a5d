package dev.lifeline.media.signaling;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.lifeline.media.packet.PacketFormat;

/**
 * PING/PONG over UDP with a short timeout and a few attempts. Results are cached briefly so that a
 * crowd of clients resuming from the same dead relay costs one probe, not one each.
 */
public final class UdpRelayProbe implements RelayProbe {

    private record Verdict(Status status, long atNanos) {
    }

    private final Duration timeout;
    private final int attempts;
    private final Duration cacheFor;
    private final ConcurrentHashMap<String, Verdict> verdicts = new ConcurrentHashMap<>();

    public UdpRelayProbe(Duration timeout, int attempts, Duration cacheFor) {
        this.timeout = timeout;
        this.attempts = attempts;
        this.cacheFor = cacheFor;
    }

    @Override
    public Status check(String relayAddress) {
        long now = System.nanoTime();
        Verdict cached = verdicts.get(relayAddress);
        if (cached != null && now - cached.atNanos() < cacheFor.toNanos()) {
            return cached.status();
        }
        Status status = probe(relayAddress);
        verdicts.put(relayAddress, new Verdict(status, System.nanoTime()));
        return status;
    }

    private Status probe(String relayAddress) {
        InetSocketAddress target;
        try {
            target = HostPort.parse(relayAddress);
        } catch (IllegalArgumentException e) {
            return Status.DEAD;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            // Connected, so an ICMP port-unreachable (relay process gone) fails fast instead of timing out.
            socket.connect(target);
            socket.setSoTimeout((int) timeout.toMillis());
            long nonce = ThreadLocalRandom.current().nextLong();
            byte[] ping = PacketFormat.ping(nonce).array();
            byte[] reply = new byte[64];
            for (int attempt = 0; attempt < attempts; attempt++) {
                socket.send(new DatagramPacket(ping, ping.length));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    DatagramPacket in = new DatagramPacket(reply, reply.length);
                    try {
                        socket.receive(in);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (in.getLength() == PacketFormat.PONG_LENGTH && reply[0] == PacketFormat.PONG
                            && ByteBuffer.wrap(reply, 1, 8).getLong() == nonce) {
                        return reply[9] == PacketFormat.STATUS_DRAINING ? Status.DRAINING : Status.ALIVE;
                    }
                }
            }
            return Status.DEAD;
        } catch (IOException e) {
            // Includes PortUnreachableException: nothing listens there any more.
            return Status.DEAD;
        }
    }
}
