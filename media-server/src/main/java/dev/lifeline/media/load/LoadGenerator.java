package dev.lifeline.media.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.lifeline.media.client.LifelineClient;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * Full-stack load: {@code --sessions} × {@code --participants} clients of the client library join
 * through signaling and send audio-like traffic (50 packets/s of 172 bytes with a send timestamp).
 * Reports one-way latency, loss and gaps with HdrHistogram. Optionally, mid-run, SIGKILLs the relay
 * hosting the most sessions ({@code --relay-pids id=pid,...} and {@code --kill-at} seconds) and
 * reports each affected session's time until media flows again for all its participants; or
 * drains a relay ({@code --drain-url}, {@code --drain-relay-id}, {@code --drain-at}) and reports
 * sessions dropped.
 */
public final class LoadGenerator {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        List<URI> signaling = Arrays.stream(args.require("signaling").split(",")).map(URI::create).toList();
        TokenCodec tokens = new TokenCodec(args.require("secret").getBytes(StandardCharsets.UTF_8));
        int sessions = args.integer("sessions", 50);
        int size = args.integer("participants", 2);
        int seconds = args.integer("seconds", 20);
        int killAt = args.integer("kill-at", -1);
        int drainAt = args.integer("drain-at", -1);
        long resumeTimeoutMillis = args.number("resume-timeout-ms", 30_000);
        Path out = Path.of(args.get("out", "target/bench/load.txt"));
        Map<String, Long> relayPids = new HashMap<>();
        for (String entry : args.get("relay-pids", "").split(",")) {
            if (entry.contains("=")) {
                relayPids.put(entry.substring(0, entry.indexOf('=')), Long.parseLong(entry.substring(entry.indexOf('=') + 1)));
            }
        }

        Recorder latency = new Recorder(3);
        List<List<AudioParticipant>> calls = join(signaling, tokens, sessions, size, latency);
        List<AudioParticipant> everyone = calls.stream().flatMap(List::stream).toList();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        sender.scheduleAtFixedRate(() -> everyone.forEach(AudioParticipant::sendNext), 0, 20, TimeUnit.MILLISECONDS);
        latency.getIntervalHistogram(); // discard join-time samples

        long runStart = System.nanoTime();
        Event event = null;
        if (killAt >= 0) {
            pauseUntil(runStart + TimeUnit.SECONDS.toNanos(killAt));
            event = kill(calls, relayPids);
        } else if (drainAt >= 0) {
            pauseUntil(runStart + TimeUnit.SECONDS.toNanos(drainAt));
            event = drain(calls, URI.create(args.require("drain-url")), args.require("drain-relay-id"));
        }
        pauseUntil(runStart + TimeUnit.SECONDS.toNanos(seconds));
        if (event != null) {
            // Wait for stragglers up to the timeout; those still silent then count as lost.
            long deadline = event.atNanos + TimeUnit.MILLISECONDS.toNanos(resumeTimeoutMillis);
            while (System.nanoTime() < deadline && !event.allResumed()) {
                LockSupport.parkNanos(50_000_000L);
            }
        }
        sender.shutdownNow();
        sender.awaitTermination(2, TimeUnit.SECONDS);
        LockSupport.parkNanos(300_000_000L); // in-flight packets

        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream report = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            report(report, args, calls, latency.getIntervalHistogram(), event, sessions, size, seconds);
        }
        System.out.print(Files.readString(out));
        System.out.println("results written to " + out.toAbsolutePath());
        everyone.forEach(AudioParticipant::close);
        System.exit(0);
    }

    /** A kill or drain and the sessions it affected. */
    private record Event(String kind, String relayId, long atNanos, List<List<AudioParticipant>> affected) {
        boolean allResumed() {
            return affected.stream().allMatch(call -> call.stream().allMatch(p -> p.stats().firstReceivedAfterMarkNanos() > 0
                    && !p.assignment().relayId().equals(relayId)));
        }
    }

    private static List<List<AudioParticipant>> join(List<URI> signaling, TokenCodec tokens, int sessions, int size,
                                                     Recorder latency) throws Exception {
        LifelineClient.Options options = LifelineClient.Options.defaults(signaling);
        long expires = System.currentTimeMillis() / 1000 + 3600;
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<List<Future<AudioParticipant>>> pending = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            List<Future<AudioParticipant>> call = new ArrayList<>();
            for (int p = 0; p < size; p++) {
                int index = s * size + p;
                String token = tokens.sign(TokenClaims.join("load-" + run + "-" + s, "p" + p, expires,
                        UUID.randomUUID().toString()));
                call.add(pool.submit(() -> new AudioParticipant(index, latency).join(options, token)));
            }
            pending.add(call);
        }
        List<List<AudioParticipant>> calls = new ArrayList<>();
        for (List<Future<AudioParticipant>> call : pending) {
            List<AudioParticipant> members = new ArrayList<>();
            for (Future<AudioParticipant> f : call) {
                members.add(f.get());
            }
            calls.add(members);
        }
        pool.shutdown();
        return calls;
    }

    private static Event kill(List<List<AudioParticipant>> calls, Map<String, Long> relayPids) {
        Map<String, List<List<AudioParticipant>>> byRelay = new HashMap<>();
        for (List<AudioParticipant> call : calls) {
            byRelay.computeIfAbsent(call.get(0).assignment().relayId(), k -> new ArrayList<>()).add(call);
        }
        String victim = byRelay.entrySet().stream().filter(e -> relayPids.containsKey(e.getKey()))
                .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
                .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("no relay with a known pid hosts a session"));
        long at = System.nanoTime();
        byRelay.get(victim).forEach(call -> call.forEach(p -> p.stats().mark(at)));
        ProcessHandle.of(relayPids.get(victim)).orElseThrow().destroyForcibly(); // SIGKILL
        System.out.printf("SIGKILLed relay %s (pid %d) hosting %d sessions%n", victim, relayPids.get(victim),
                byRelay.get(victim).size());
        return new Event("SIGKILL", victim, at, byRelay.get(victim));
    }

    private static Event drain(List<List<AudioParticipant>> calls, URI drainUrl, String drainRelayId) throws Exception {
        long at = System.nanoTime();
        calls.forEach(call -> call.forEach(p -> p.stats().mark(at)));
        String relayId = drainRelayId;
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(drainUrl)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("drain requested: " + response.statusCode() + " " + response.body());
        List<List<AudioParticipant>> affected = calls.stream()
                .filter(call -> call.get(0).assignment().relayId().equals(relayId)).toList();
        return new Event("drain", relayId, at, affected);
    }

    private static void report(PrintStream out, Args args, List<List<AudioParticipant>> calls, Histogram latency,
                               Event event, int sessions, int size, int seconds) {
        long sent = 0;
        long unsent = 0;
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        int largestGap = 0;
        for (List<AudioParticipant> call : calls) {
            for (AudioParticipant p : call) {
                sent += p.sent();
                unsent += p.unsent();
                received += p.stats().received();
                lost += p.stats().lost();
                duplicates += p.stats().duplicates();
                largestGap = Math.max(largestGap, p.stats().largestGap());
            }
        }
        out.printf("# load generator %s: %d sessions x %d participants, 50 packets/s of %d bytes each, %d s%n",
                Instant.now(), sessions, size, AudioPacket.SIZE, seconds);
        out.printf("packets_expected %d (the sender thread falls behind when the machine is starved of CPU)%n",
                (long) sessions * size * 50 * seconds);
        out.printf("packets_sent %d%npackets_not_sent_while_resuming %d%npackets_received %d%n", sent, unsent, received);
        out.printf("packets_lost %d (%.4f %% of expected deliveries)%n", lost,
                100.0 * lost / Math.max(1, received + lost));
        out.printf("duplicates_discarded %d (make-before-break copies during moves)%n", duplicates);
        out.printf("largest_gap_packets %d%n", largestGap);
        out.printf("one_way_latency_us p50 %d p99 %d p99.9 %d max %d%n", latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
        if (event != null) {
            Histogram resume = new Histogram(3);
            int lostSessions = 0;
            for (List<AudioParticipant> call : event.affected()) {
                long slowest = 0;
                boolean back = true;
                for (AudioParticipant p : call) {
                    long first = p.stats().firstReceivedAfterMarkNanos();
                    if (first == 0 || p.assignment().relayId().equals(event.relayId())) {
                        back = false;
                    } else {
                        slowest = Math.max(slowest, first - event.atNanos());
                    }
                }
                if (back) {
                    resume.recordValue(TimeUnit.NANOSECONDS.toMillis(slowest));
                } else {
                    lostSessions++;
                    for (AudioParticipant p : call) {
                        out.printf("  lost: %s/%s relay %s epoch %d binding %d resumes %d resuming %s received-after %s%n",
                                p.assignment().sessionId(), p.assignment().participantId(), p.assignment().relayId(),
                                p.assignment().epoch(), p.client().bindingId(), p.client().resumes(),
                                p.client().resumingNow(), p.stats().firstReceivedAfterMarkNanos() > 0);
                    }
                }
            }
            out.printf("%s of relay %s: %d sessions affected, %d lost (no media on a new relay for every participant within %s ms)%n",
                    event.kind(), event.relayId(), event.affected().size(), lostSessions,
                    args.get("resume-timeout-ms", "30000"));
            if (event.kind().equals("SIGKILL")) {
                // After a drain media never stops (make-before-break), so only a kill has a time to media.
                out.printf("time_to_media_again_ms p50 %d p99 %d max %d (SIGKILL -> first packet via the new relay, slowest participant per session)%n",
                        resume.getValueAtPercentile(50), resume.getValueAtPercentile(99), resume.getMaxValue());
            }
        }
    }

    private static void pauseUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
