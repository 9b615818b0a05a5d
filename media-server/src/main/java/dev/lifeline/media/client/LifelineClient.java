package dev.lifeline.media.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.media.protocol.ProtocolCodec;

/**
 * A participant: joins through signaling, binds to its relay, sends and receives media, and
 * resumes on its own when the relay dies, drains, or forgets it — reconnecting to signaling with
 * exponential backoff and full jitter, resuming with its token, binding to the new relay, and
 * telling the old one it left. The session id and participant id never change.
 *
 * <p>Signaling endpoints: it starts with {@link Options#signaling()} (the platform's DNS name, say) and from the
 * first assignment on uses the endpoints signaling lists, every serving region's, own region first. When the
 * endpoint it uses stops answering, it moves to the next one, so a call resumes in another region directly,
 * without waiting for DNS to stop naming the lost one.
 */
public final class LifelineClient implements AutoCloseable {

    /** Refusals that retrying cannot fix. */
    private static final Set<String> FATAL = Set.of("unknown_session", "not_a_participant", "bad_signature",
            "expired", "malformed", "wrong_kind", "replayed", "unsupported_version");
    private static final ScheduledExecutorService KEEPALIVES = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "lifeline-client-keepalive");
        t.setDaemon(true);
        return t;
    });

    /** What the client reports to its user; all callbacks run on client threads and must be quick. */
    public interface Listener {
        /** {@code packet} is the whole MEDIA packet (header included), valid only during the call. */
        default void onMedia(ByteBuffer packet, long receivedNanos) {
        }

        default void onAssigned(Assignment assignment, boolean resumed) {
        }

        default void onFailed(String code) {
        }
    }

    /**
     * @param relayTimeout no PONG or media for this long means the relay is gone
     * @param moveGrace    how long the old relay is still used after a move (make-before-break)
     */
    public record Options(List<URI> signaling, Duration keepaliveInterval, Duration relayTimeout, Duration requestTimeout,
                          Duration bindTimeout, Duration moveGrace, Backoff backoff) {

        public static Options defaults(List<URI> signaling) {
            // 10 s per request: a join retried after a lost reply is refused as a replay, so wait long before giving up.
            return new Options(signaling, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(10),
                    Duration.ofMillis(700), Duration.ofSeconds(2),
                    new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), ThreadLocalRandom.current()));
        }
    }

    private final Options options;
    private final Listener listener;
    private final String name;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService supervisor;
    private final AtomicBoolean resuming = new AtomicBoolean();
    private final AtomicInteger resumes = new AtomicInteger();
    private final AtomicInteger signalingIndex = new AtomicInteger();
    /** The signaling endpoints tried in turn: the options' until signaling lists the serving regions'. */
    private volatile List<URI> endpoints;
    private final ScheduledFuture<?> keepalive;
    private volatile SignalingConnection signaling;
    private volatile MediaSocket media;
    /** The relay we just left, still sent to and listened on for a grace period after a move. */
    private volatile MediaSocket previous;
    private volatile Assignment assignment;
    private volatile boolean closed;
    private volatile String failure;

    private LifelineClient(Options options, Listener listener, String name) {
        this.options = options;
        this.listener = listener;
        this.name = name;
        this.endpoints = List.copyOf(options.signaling());
        this.supervisor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lifeline-client-" + name);
            t.setDaemon(true);
            return t;
        });
        this.keepalive = KEEPALIVES.scheduleAtFixedRate(this::keepaliveTick, options.keepaliveInterval().toMillis(),
                options.keepaliveInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Joins with a single-use join token; returns once bound to a relay. */
    public static LifelineClient join(Options options, String joinToken, Listener listener, String name) throws Exception {
        LifelineClient client = new LifelineClient(options, listener, name);
        try {
            client.supervisor.submit(() -> client.assignLoop(client.codec.join(joinToken), false)).get();
        } catch (Exception e) {
            client.close();
            throw e;
        }
        if (client.assignment == null) {
            client.close();
            throw new IllegalStateException("join failed: " + client.failure);
        }
        return client;
    }

    /** Sends one MEDIA packet: {@code packet} has 5 bytes of header room first. False if not bound right now. */
    public boolean send(ByteBuffer packet) {
        MediaSocket old = previous;
        if (old != null) {
            // Make-before-break: peers still on the old relay keep hearing us until they move too.
            old.sendMedia(packet.duplicate());
        }
        MediaSocket socket = media;
        return socket != null && socket.sendMedia(packet);
    }

    public Assignment assignment() {
        return assignment;
    }

    public int bindingId() {
        MediaSocket socket = media;
        return socket == null ? -1 : socket.bindingId;
    }

    public int resumes() {
        return resumes.get();
    }

    public boolean resumingNow() {
        return resuming.get();
    }

    /** Leaves the session for good. */
    public void leave() throws Exception {
        supervisor.submit(() -> {
            SignalingConnection connection = ensureSignaling();
            connection.request(codec.leave(), options.requestTimeout());
            MediaSocket socket = media;
            if (socket != null) {
                socket.sendLeave();
            }
            return null;
        }).get();
    }

    private void keepaliveTick() {
        MediaSocket socket = media;
        if (closed || socket == null || socket.bindingId < 0 || resuming.get()) {
            return;
        }
        socket.sendKeepalive(System.nanoTime());
        if (System.nanoTime() - socket.lastHeardNanos > options.relayTimeout().toNanos()) {
            requestResume(socket);
        }
    }

    /** Starts one resume (more triggers while it runs are ignored). */
    private void requestResume(MediaSocket failedSocket) {
        if (closed || failedSocket != media || !resuming.compareAndSet(false, true)) {
            return;
        }
        Assignment failed = assignment;
        supervisor.execute(() -> {
            try {
                assignLoop(codec.resume(failed.resumeToken(), failed.relayId(), failed.epoch()), true);
            } finally {
                resuming.set(false);
            }
        });
    }

    /**
     * Signaling pushed {@code moved}: this signaling instance is going away, so resume on another; or, with
     * reason {@code superseded}, the session settled on another assignment, so resume right here.
     */
    private void onPush(JsonNode message) {
        if (!"superseded".equals(message.path("reason").asText())) {
            dropSignaling();
        }
        if (closed || !resuming.compareAndSet(false, true)) {
            return;
        }
        supervisor.execute(() -> {
            try {
                Assignment current = assignment;
                assignLoop(codec.resume(current.resumeToken(), null, 0), true);
            } finally {
                resuming.set(false);
            }
        });
    }

    /**
     * Sends {@code firstFrame} (join or resume) until an assignment is bound, with backoff between
     * attempts. A failed bind turns the next attempt into a resume that reports the new relay as failed.
     */
    private void assignLoop(String firstFrame, boolean resume) {
        String frame = firstFrame;
        for (int attempt = 0; !closed; attempt++) {
            if (attempt > 0) {
                sleep(options.backoff().delayMillis(attempt - 1));
            }
            JsonNode reply;
            try {
                reply = ensureSignaling().request(frame, options.requestTimeout());
            } catch (Exception e) {
                dropSignaling();
                continue;
            }
            if ("error".equals(reply.path("type").asText())) {
                String code = reply.path("code").asText();
                if (FATAL.contains(code)) {
                    // A replay refusal of our own retry means the first join went through but its reply was lost.
                    listener.onFailed(attempt > 0 && "replayed".equals(code) ? "join_reply_lost" : code);
                    failure = code;
                    return;
                }
                if ("draining".equals(code)) {
                    dropSignaling();
                }
                continue;
            }
            Assignment next = Assignment.from(reply);
            adoptEndpoints(next.signaling());
            if (next.sameRelayAs(assignment) && media != null && media.bindingId >= 0
                    && System.nanoTime() - media.lastHeardNanos < options.relayTimeout().toNanos()) {
                // Signaling moved, the relay did not: media never stopped.
                assignment = next;
                countResume(resume);
                listener.onAssigned(next, resume);
                return;
            }
            if (bind(next)) {
                assignment = next;
                countResume(resume);
                listener.onAssigned(next, resume);
                return;
            }
            frame = codec.resume(next.resumeToken(), next.relayId(), next.epoch());
        }
    }

    /** Uses the serving regions' endpoints from now on; the one that answered is listed first. */
    private void adoptEndpoints(List<URI> serving) {
        if (!serving.isEmpty() && !serving.equals(endpoints)) {
            endpoints = serving;
            signalingIndex.set(0);
        }
    }

    public List<URI> signalingEndpoints() {
        return endpoints;
    }

    private void countResume(boolean resume) {
        if (resume) {
            resumes.incrementAndGet();
        }
    }

    private boolean bind(Assignment next) {
        MediaSocket socket;
        try {
            socket = new MediaSocket(next.relayAddress(), new MediaSocket.Events() {
                @Override
                public void onMedia(ByteBuffer packet, long receivedNanos) {
                    listener.onMedia(packet, receivedNanos);
                }

                @Override
                public void onRelayLost(MediaSocket lost, String reason) {
                    requestResume(lost);
                }
            }, "lifeline-media-" + name);
        } catch (Exception e) {
            return false;
        }
        long deadline = System.nanoTime() + options.bindTimeout().toNanos();
        // Retransmit: a single BIND can be lost like any datagram.
        while (System.nanoTime() < deadline) {
            socket.sendBind(next.mediaToken());
            try {
                socket.bound.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException stillWaiting) {
                // next retransmission
            } catch (Exception rejected) {
                break;
            }
        }
        if (socket.bindingId < 0) {
            socket.close();
            return false;
        }
        MediaSocket old = media;
        media = socket;
        if (old != null) {
            retire(old);
        }
        return true;
    }

    /**
     * Keeps the old relay's socket sending and receiving for {@link Options#moveGrace()} so that a
     * call whose participants move one by one (a drain) loses nothing; then says LEAVE, which lets
     * a draining relay see its last client go. To a dead relay this is harmless.
     */
    private void retire(MediaSocket old) {
        MediaSocket earlier = previous;
        if (earlier != null) {
            earlier.sendLeave();
            earlier.close();
        }
        previous = old;
        KEEPALIVES.schedule(() -> {
            if (previous == old) {
                previous = null;
            }
            old.sendLeave();
            old.close();
        }, options.moveGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private SignalingConnection ensureSignaling() throws Exception {
        SignalingConnection connection = signaling;
        if (connection != null && connection.isOpen()) {
            return connection;
        }
        // A connection that closed by itself (its signaling died) counts as a failed endpoint: move on.
        dropSignaling();
        List<URI> uris = endpoints;
        URI uri = uris.get(Math.floorMod(signalingIndex.get(), uris.size()));
        try {
            connection = SignalingConnection.open(http, uri, codec, this::onPush, options.requestTimeout());
        } catch (Exception e) {
            signalingIndex.incrementAndGet();
            throw e;
        }
        signaling = connection;
        return connection;
    }

    /** Closes the connection in use, if any, and moves to the next endpoint. */
    private void dropSignaling() {
        SignalingConnection connection = signaling;
        signaling = null;
        if (connection != null) {
            connection.close();
            signalingIndex.incrementAndGet();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // backoff delay between retries, not test synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        keepalive.cancel(false);
        supervisor.shutdownNow();
        MediaSocket socket = media;
        if (socket != null) {
            socket.close();
        }
        MediaSocket old = previous;
        if (old != null) {
            old.close();
        }
        SignalingConnection connection = signaling;
        if (connection != null) {
            connection.close();
        }
    }
}
