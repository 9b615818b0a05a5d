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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes a peer region's endpoints for real: an HTTP GET of signaling's health (2xx or 3xx answers, as Route 53
 * counts it) and a UDP PING to each relay (the relay answers PONG with the same nonce; wire format in the
 * media-server's {@code PacketFormat}). The probes run at once and the first answer ends them, so a silent region
 * costs the self-healing loop one {@link #TIMEOUT}, not one per endpoint.
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
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "endpoint-probe");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public boolean anyAnswers(Target target) {
        List<Callable<Boolean>> checks = new ArrayList<>();
        if (target.signalingHealth() != null) {
            checks.add(() -> httpAnswers(target.signalingHealth()));
        }
        target.relays().stream().limit(MAX_RELAYS).forEach(relay -> checks.add(() -> pingAnswered(relay)));
        CompletionService<Boolean> answers = new ExecutorCompletionService<>(probes);
        List<Future<Boolean>> running = checks.stream().map(answers::submit).toList();
        try {
            for (int i = 0; i < running.size(); i++) {
                if (answers.take().get()) {
                    return true;
                }
            }
            return false;
        } catch (ExecutionException e) {
            return false; // the checks catch what a probe can throw; anything else is no answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            running.forEach(f -> f.cancel(true));
        }
    }

    @PreDestroy
    void stop() {
        probes.shutdownNow();
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
            // Connected, so that the kernel's ICMP "port unreachable" (nothing listens there any more) ends the wait
            // at once instead of after the timeout; a host that is gone entirely still costs the timeout.
            socket.connect(resolved);
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
