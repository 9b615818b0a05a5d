package dev.lifeline.operator.health;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes a peer region's endpoints for real: an HTTP GET of signaling's health (2xx or 3xx answers, as Route 53
 * counts it) and a UDP PING to each relay (the relay answers PONG with the same nonce; wire format in the
 * media-server's {@code PacketFormat}). Stops at the first answer. Each probe waits at most {@link #TIMEOUT}.
 */
@ApplicationScoped
public class SocketEndpointProbe implements EndpointProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** At most this many relays are pinged per probe: one answer is enough, and a dead region costs a timeout each. */
    static final int MAX_RELAYS = 3;
    private static final byte PING = 0x04;
    private static final byte PONG = 0x05;
    private static final int PONG_LENGTH = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public boolean anyAnswers(Target target) {
        if (target.signalingHealth() != null && httpAnswers(target.signalingHealth())) {
            return true;
        }
        return target.relays().stream().limit(MAX_RELAYS).anyMatch(SocketEndpointProbe::pingAnswered);
    }

    private boolean httpAnswers(String url) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean pingAnswered(InetSocketAddress relay) {
        long nonce = ThreadLocalRandom.current().nextLong();
        byte[] ping = ByteBuffer.allocate(9).put(PING).putLong(nonce).array();
        InetSocketAddress resolved = new InetSocketAddress(relay.getHostString(), relay.getPort());
        if (resolved.isUnresolved()) {
            return false;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.send(new DatagramPacket(ping, ping.length, resolved));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            byte[] buffer = new byte[64];
            while (System.nanoTime() < deadline) {
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                socket.receive(reply);
                ByteBuffer b = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
                if (reply.getLength() >= PONG_LENGTH && b.get() == PONG && b.getLong() == nonce) {
                    return true; // serving or draining: either way the relay is alive
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
