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
 * <p>A relay is gone when the kernel says so (ICMP port-unreachable on the connected socket: decisive) or when
 * keepalives went unanswered several times in a row beyond an adaptive bound ({@link RelayLiveness}: one miss is
 * only suspicion). Then the client binds at once to the session's standby relay with the token pre-authorised in its
 * last reply, so media flows again without waiting for the table, and only then asks signaling to record the move
 * (a resume naming the failed relay and epoch); it follows signaling's answer if that names another relay.
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

        /** The relay of {@code lost} is draining or gone ({@code cause}: unreachable, silent, draining). */
        default void onRelayLost(Assignment lost, String cause, long detectedNanos) {
        }

        /** Media now goes through the standby relay (not yet recorded by signaling; an {@link #onAssigned} follows). */
        default void onStandby(Assignment standby, long boundNanos) {
        }
    }

    /**
     * @param keepaliveInterval  how often a bound client asks its relay for a PONG
     * @param answerBound        a keepalive counts as missed no sooner than this (the adaptive bound's floor)
     * @param missesToConfirm    this many missed in a row confirm the suspicion...
     * @param relayTimeout       ...and at least this long without a word from the relay: it is gone
     * @param requestTimeout     one signaling request
     * @param bindTimeout        BIND retransmitted until a BIND_ACK, at most this long
     * @param moveGrace          how long the old relay is still used after a move (make-before-break)
     * @param joinDeadline       a join that has no assignment by then fails with {@code join_deadline}
     * @param useStandby         move to the pre-authorised standby before asking signaling (off: signaling first)
     */
    public record Options(List<URI> signaling, Duration keepaliveInterval, Duration answerBound, int missesToConfirm,
                          Duration relayTimeout, Duration requestTimeout, Duration bindTimeout, Duration moveGrace,
                          Duration joinDeadline, boolean useStandby, Backoff backoff) {

        public static Options defaults(List<URI> signaling) {
            // 10 s per request: a join retried after a lost reply is refused as a replay, so wait long before giving up.
            // Silence: 5 keepalives missed in a row and 1.5 s without a word. A relay process that is gone is told by
            // ICMP at once; silence only decides when the host or the path is gone, and a starved relay or client
            // goes quiet for over a second on a busy machine (spurious-move-bench: 133 false deaths in 10 min at 500 ms).
            return new Options(signaling, Duration.ofMillis(100), Duration.ofMillis(200), 5, Duration.ofMillis(1500),
                    // Bind: 2 s, a starved relay can take a while to answer; an absent one fails at once (ICMP).
                    Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30), true,
                    new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), ThreadLocalRandom.current()));
        }

        public Options withJoinDeadline(Duration deadline) {
            return new Options(signaling, keepaliveInterval, answerBound, missesToConfirm, relayTimeout, requestTimeout,
                    bindTimeout, moveGrace, deadline, useStandby, backoff);
        }

        public Options withLiveness(Duration newAnswerBound, int newMissesToConfirm, Duration newRelayTimeout) {
            return new Options(signaling, keepaliveInterval, newAnswerBound, newMissesToConfirm, newRelayTimeout,
                    requestTimeout, bindTimeout, moveGrace, joinDeadline, useStandby, backoff);
        }

        public Options withStandby(boolean use) {
            return new Options(signaling, keepaliveInterval, answerBound, missesToConfirm, relayTimeout, requestTimeout,
                    bindTimeout, moveGrace, joinDeadline, use, backoff);
        }

        RelayLiveness newLiveness(long nowNanos) {
            // However slow the relay has been, a keepalive unanswered for 10 floors is missed.
            return new RelayLiveness(answerBound.toNanos(), 10 * answerBound.toNanos(), relayTimeout.toNanos(),
                    missesToConfirm, nowNanos);
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
    private final AtomicInteger moves = new AtomicInteger();
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
    private volatile String failureDetail = "";

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

    /**
     * Joins with a single-use join token; returns once bound to a relay. Fails (IllegalStateException naming the code)
     * on a refusal retrying cannot fix, or with {@code join_deadline} when {@link Options#joinDeadline()} passes first.
     */
    public static LifelineClient join(Options options, String joinToken, Listener listener, String name) throws Exception {
        LifelineClient client = new LifelineClient(options, listener, name);
        long deadline = System.nanoTime() + options.joinDeadline().toNanos();
        try {
            client.supervisor.submit(() -> client.assignLoop(client.codec.join(joinToken), false, deadline)).get();
        } catch (Exception e) {
            client.close();
            throw e;
        }
        if (client.assignment == null) {
            client.close();
            throw new IllegalStateException("join failed: " + client.failure
                    + (client.failureDetail.isEmpty() ? "" : " (" + client.failureDetail + ")"));
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

    /** How often media moved to another relay (to the standby, or where signaling said). */
    public int moves() {
        return moves.get();
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
        if (closed || socket == null || socket.bindingId < 0) {
            return;
        }
        long now = System.nanoTime();
        socket.sendKeepalive(now, options.keepaliveInterval().toNanos());
        if (!resuming.get() && socket.liveness.verdict(now) == RelayLiveness.Verdict.DEAD) {
            relayLost(socket, MediaSocket.Loss.SILENT);
        }
    }

    /**
     * Moves off the relay of {@code lostSocket} (more triggers while a move runs are ignored). When the session has a
     * standby, media goes there first, with the token pre-authorised for the next epoch; then signaling records the
     * move. A draining relay is left the same way: every participant gets its GOAWAY at once and moves to the same
     * standby at once, while the old socket keeps working for the grace period (make-before-break), so how long
     * signaling takes to answer no longer opens a gap between the two sides of a call.
     */
    private void relayLost(MediaSocket lostSocket, MediaSocket.Loss loss) {
        if (closed || lostSocket != media || !resuming.compareAndSet(false, true)) {
            return;
        }
        Assignment failed = assignment;
        listener.onRelayLost(failed, loss.code(), System.nanoTime());
        supervisor.execute(() -> {
            try {
                if (options.useStandby() && failed.standby().isPresent()) {
                    Assignment standby = failed.onStandby(failed.standby().get());
                    if (bind(standby, options.bindTimeout())) {
                        assignment = standby;
                        listener.onStandby(standby, System.nanoTime());
                    }
                }
                // Recorded through signaling whether or not the standby took us: it names the failed assignment.
                assignLoop(codec.resume(failed.resumeToken(), failed.relayId(), failed.epoch()), true, NO_DEADLINE);
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
        // Before the first assignment there is nothing to resume: the join still under way retries by itself.
        if (closed || assignment == null || !resuming.compareAndSet(false, true)) {
            return;
        }
        supervisor.execute(() -> {
            try {
                Assignment current = assignment;
                assignLoop(codec.resume(current.resumeToken(), null, 0), true, NO_DEADLINE);
            } finally {
                resuming.set(false);
            }
        });
    }

    /**
     * Sends {@code firstFrame} (join or resume) until an assignment is bound, with backoff between attempts, until
     * {@code deadlineNanos} ({@link #NO_DEADLINE} for resumes: a call keeps trying to come back). A failed bind turns
     * the next attempt into a resume that reports the new relay as failed.
     */
    private void assignLoop(String firstFrame, boolean resume, long deadlineNanos) {
        String frame = firstFrame;
        String lastProblem = "no reply yet";
        for (int attempt = 0; !closed; attempt++) {
            if (attempt > 0) {
                sleep(Math.max(0, Math.min(options.backoff().delayMillis(attempt - 1), remainingMillis(deadlineNanos))));
            }
            long remaining = remainingMillis(deadlineNanos);
            if (remaining <= 0) {
                failure = "join_deadline";
                failureDetail = "no assignment within " + options.joinDeadline().toMillis() + " ms; last: " + lastProblem;
                listener.onFailed(failure);
                return;
            }
            JsonNode reply;
            try {
                Duration timeout = Duration.ofMillis(Math.min(options.requestTimeout().toMillis(), remaining));
                reply = ensureSignaling(timeout).request(frame, timeout);
            } catch (Exception e) {
                lastProblem = e.toString();
                dropSignaling();
                continue;
            }
            if ("error".equals(reply.path("type").asText())) {
                String code = reply.path("code").asText();
                lastProblem = code;
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
            MediaSocket socket = media;
            if (next.sameRelayAs(assignment) && socket != null && socket.bindingId >= 0
                    && socket.liveness.verdict(System.nanoTime()) != RelayLiveness.Verdict.DEAD) {
                // Signaling moved, or recorded the move to the standby we are on already: media never stopped.
                assignment = next;
                countResume(resume);
                listener.onAssigned(next, resume);
                return;
            }
            if (bind(next, options.bindTimeout())) {
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

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static long remainingMillis(long deadlineNanos) {
        return deadlineNanos == NO_DEADLINE ? Long.MAX_VALUE : (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    private boolean bind(Assignment next, Duration timeout) {
        MediaSocket socket;
        try {
            socket = new MediaSocket(next.relayId(), next.relayAddress(), options.newLiveness(System.nanoTime()),
                    new MediaSocket.Events() {
                        @Override
                        public void onMedia(ByteBuffer packet, long receivedNanos) {
                            listener.onMedia(packet, receivedNanos);
                        }

                        @Override
                        public void onRelayLost(MediaSocket lost, MediaSocket.Loss loss) {
                            relayLost(lost, loss);
                        }
                    }, "lifeline-media-" + name);
        } catch (Exception e) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
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
            if (!old.relayId.equals(socket.relayId)) {
                moves.incrementAndGet();
            }
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
        return ensureSignaling(options.requestTimeout());
    }

    private SignalingConnection ensureSignaling(Duration timeout) throws Exception {
        SignalingConnection connection = signaling;
        if (connection != null && connection.isOpen()) {
            return connection;
        }
        // A connection that closed by itself (its signaling died) counts as a failed endpoint: move on.
        dropSignaling();
        List<URI> uris = endpoints;
        URI uri = uris.get(Math.floorMod(signalingIndex.get(), uris.size()));
        try {
            connection = SignalingConnection.open(http, uri, codec, this::onPush, timeout);
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
