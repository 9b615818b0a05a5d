package dev.lifeline.media.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Recorder;

import dev.lifeline.media.client.LifelineClient;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * Calls in progress: {@code sessions} × {@code participants} clients of the client library joined
 * through signaling, each sending audio-like packets (50 packets/s of 172 bytes with a send
 * timestamp) until {@link #close()}. The {@link LoadGenerator} runs one; tests that break relays
 * under calls run one in their own JVM and ask it, per call, whether media flows again
 * ({@link #disruption}).
 */
public final class CallLoad implements AutoCloseable {

    private static final int JOIN_ATTEMPTS = 3;

    private final List<List<AudioParticipant>> calls;
    private final Recorder latencyMicros;
    private final ScheduledExecutorService sender;

    private CallLoad(List<List<AudioParticipant>> calls, Recorder latencyMicros) {
        this.calls = calls;
        this.latencyMicros = latencyMicros;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "call-load-sender");
            t.setDaemon(true);
            return t;
        });
        List<AudioParticipant> everyone = participants();
        sender.scheduleAtFixedRate(() -> everyone.forEach(AudioParticipant::sendNext), 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Joins every participant (8 at a time), then starts sending. Join tokens are minted with {@code tokens}. */
    public static CallLoad start(List<URI> signaling, TokenCodec tokens, int sessions, int participants)
            throws Exception {
        return start(LifelineClient.Options.defaults(signaling), tokens, sessions, participants);
    }

    /** The same with the clients' options given. */
    public static CallLoad start(LifelineClient.Options options, TokenCodec tokens, int sessions, int participants)
            throws Exception {
        Recorder latency = new Recorder(3);
        long expires = System.currentTimeMillis() / 1000 + 3600;
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<List<AudioParticipant>> calls = new ArrayList<>();
        try {
            List<List<Future<AudioParticipant>>> pending = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                List<Future<AudioParticipant>> call = new ArrayList<>();
                for (int p = 0; p < participants; p++) {
                    int index = s * participants + p;
                    String session = "load-" + run + "-" + s;
                    String participant = "p" + p;
                    call.add(pool.submit(() -> join(options, tokens, session, participant, expires, index, latency)));
                }
                pending.add(call);
            }
            for (List<Future<AudioParticipant>> call : pending) {
                List<AudioParticipant> members = new ArrayList<>();
                for (Future<AudioParticipant> f : call) {
                    members.add(f.get());
                }
                calls.add(members);
            }
        } catch (Exception e) {
            calls.forEach(call -> call.forEach(AudioParticipant::close));
            throw e;
        } finally {
            pool.shutdown();
        }
        CallLoad load = new CallLoad(calls, latency);
        latency.getIntervalHistogram(); // discard join-time samples
        return load;
    }

    /**
     * One participant's join. A join token works once: when its reply is lost (seen on a starved machine: the
     * client's retry is refused as {@code replayed}), the application backend mints a new token, as here.
     */
    private static AudioParticipant join(LifelineClient.Options options, TokenCodec tokens, String session,
            String participant, long expires, int index, Recorder latency) throws Exception {
        for (int attempt = 1;; attempt++) {
            String token = tokens.sign(TokenClaims.join(session, participant, expires, UUID.randomUUID().toString()));
            try {
                return new AudioParticipant(index, latency).join(options, token);
            } catch (IllegalStateException e) {
                if (attempt >= JOIN_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("replayed")) {
                    throw e;
                }
            }
        }
    }

    public List<List<AudioParticipant>> calls() {
        return calls;
    }

    public List<AudioParticipant> participants() {
        return calls.stream().flatMap(List::stream).toList();
    }

    /** The calls each relay hosts now (by the first participant's assignment), in join order. */
    public Map<String, List<List<AudioParticipant>>> callsByRelay() {
        Map<String, List<List<AudioParticipant>>> byRelay = new LinkedHashMap<>();
        for (List<AudioParticipant> call : calls) {
            byRelay.computeIfAbsent(call.get(0).assignment().relayId(), k -> new ArrayList<>()).add(call);
        }
        return byRelay;
    }

    /**
     * Marks now as the moment {@code relayId} fails or drains ({@code kind} names how): its calls are
     * watched until each participant receives media again through another relay.
     */
    public Disruption disruption(String kind, String relayId) {
        long at = System.nanoTime();
        List<List<AudioParticipant>> affected = callsByRelay().getOrDefault(relayId, List.of());
        affected.forEach(call -> call.forEach(p -> p.awaitMediaAwayFrom(relayId, at)));
        return new Disruption(kind, relayId, at, affected);
    }

    /** Packets received by every participant so far. */
    public long received() {
        return participants().stream().mapToLong(p -> p.stats().received()).sum();
    }

    /** One-way latency since the previous call (microseconds). */
    public org.HdrHistogram.Histogram latencySinceLastCall() {
        return latencyMicros.getIntervalHistogram();
    }

    /** Stops sending; the participants stay joined until {@link #close()}. */
    public void stopSending() throws InterruptedException {
        sender.shutdownNow();
        sender.awaitTermination(2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        participants().forEach(AudioParticipant::close);
    }
}
