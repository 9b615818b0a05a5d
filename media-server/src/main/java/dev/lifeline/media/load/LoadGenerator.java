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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.lifeline.media.client.LifelineClient;
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

        // --no-standby: clients ask signaling first, as before the standby existed (for comparison runs).
        CallLoad load = CallLoad.start(LifelineClient.Options.defaults(signaling).withStandby(!args.flag("no-standby")),
                tokens, sessions, size);
        long runStart = System.nanoTime();
        Disruption event = null;
        if (killAt >= 0) {
            pauseUntil(runStart + TimeUnit.SECONDS.toNanos(killAt));
            event = kill(load, relayPids);
        } else if (drainAt >= 0) {
            pauseUntil(runStart + TimeUnit.SECONDS.toNanos(drainAt));
            event = drain(load, URI.create(args.require("drain-url")), args.require("drain-relay-id"));
        }
        pauseUntil(runStart + TimeUnit.SECONDS.toNanos(seconds));
        if (event != null) {
            // Wait for stragglers up to the timeout; those still silent then count as lost.
            long deadline = event.atNanos() + TimeUnit.MILLISECONDS.toNanos(resumeTimeoutMillis);
            while (System.nanoTime() < deadline && !event.allBack()) {
                LockSupport.parkNanos(50_000_000L);
            }
        }
        load.stopSending();
        LockSupport.parkNanos(300_000_000L); // in-flight packets

        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream report = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            report(report, args, load.calls(), load.latencySinceLastCall(), event, sessions, size, seconds);
        }
        System.out.print(Files.readString(out));
        System.out.println("results written to " + out.toAbsolutePath());
        load.close();
        System.exit(0);
    }

    private static Disruption kill(CallLoad load, Map<String, Long> relayPids) {
        Map<String, List<List<AudioParticipant>>> byRelay = load.callsByRelay();
        String victim = byRelay.entrySet().stream().filter(e -> relayPids.containsKey(e.getKey()))
                .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
                .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("no relay with a known pid hosts a session"));
        Disruption event = load.disruption("SIGKILL", victim);
        ProcessHandle.of(relayPids.get(victim)).orElseThrow().destroyForcibly(); // SIGKILL
        System.out.printf("SIGKILLed relay %s (pid %d) hosting %d sessions%n", victim, relayPids.get(victim),
                event.affected().size());
        return event;
    }

    private static Disruption drain(CallLoad load, URI drainUrl, String drainRelayId) throws Exception {
        Disruption event = load.disruption("drain", drainRelayId);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(drainUrl)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("drain requested: " + response.statusCode() + " " + response.body());
        return event;
    }

    private static void report(PrintStream out, Args args, List<List<AudioParticipant>> calls, Histogram latency,
                               Disruption event, int sessions, int size, int seconds) {
        long moves = 0;
        Map<String, Integer> losses = new java.util.TreeMap<>();
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
                moves += p.client().moves();
                p.losses().forEach((cause, n) -> losses.merge(cause, n, Integer::sum));
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
        out.printf("standby %s%n", args.flag("no-standby") ? "off (--no-standby: signaling first)" : "on");
        out.printf("moves_total %d (media moved to another relay, all clients, whole run)%n", moves);
        out.printf("relay_given_up %s (times a client gave up on its relay, by cause)%n", losses);
        if (event != null) {
            Histogram resume = new Histogram(3);
            for (Disruption.CallOutcome call : event.outcomes()) {
                if (call.back()) {
                    resume.recordValue(call.mediaAgainAfter().orElseThrow().toMillis());
                    out.printf("  back: %s after %d ms%n", call.sessionId(), call.mediaAgainAfter().orElseThrow().toMillis());
                } else {
                    for (AudioParticipant p : call.call()) {
                        out.printf("  lost: %s/%s relay %s epoch %d binding %d resumes %d resuming %s received-after %s%n",
                                p.assignment().sessionId(), p.assignment().participantId(), p.assignment().relayId(),
                                p.assignment().epoch(), p.client().bindingId(), p.client().resumes(),
                                p.client().resumingNow(), p.mediaAgainNanos() > 0);
                    }
                }
            }
            phases(out, event);
            out.printf("%s of relay %s: %d sessions affected, %d lost (no media on a new relay for every participant within %s ms)%n",
                    event.kind(), event.relayId(), event.affected().size(), event.lost().size(),
                    args.get("resume-timeout-ms", "30000"));
            if (event.kind().equals("SIGKILL")) {
                // After a drain media never stops (make-before-break), so only a kill has a time to media.
                out.printf("time_to_media_again_ms p50 %d p99 %d max %d (SIGKILL -> first packet via the new relay, slowest participant per session)%n",
                        resume.getValueAtPercentile(50), resume.getValueAtPercentile(99), resume.getMaxValue());
            }
        }
    }

    /** Where the time went, per participant of the affected calls, from the event on. */
    private static void phases(PrintStream out, Disruption event) {
        Histogram detected = new Histogram(3);
        Histogram standby = new Histogram(3);
        Histogram recorded = new Histogram(3);
        Map<String, Integer> causes = new java.util.TreeMap<>();
        int participants = 0;
        for (List<AudioParticipant> call : event.affected()) {
            for (AudioParticipant p : call) {
                participants++;
                if (p.lostNanos() > 0) {
                    detected.recordValue(Math.max(0, p.lostNanos() - event.atNanos()) / 1_000_000);
                    causes.merge(p.lostCause(), 1, Integer::sum);
                }
                if (p.standbyNanos() > 0) {
                    standby.recordValue(Math.max(0, p.standbyNanos() - event.atNanos()) / 1_000_000);
                }
                if (p.recordedNanos() > 0) {
                    recorded.recordValue(Math.max(0, p.recordedNanos() - event.atNanos()) / 1_000_000);
                }
            }
        }
        out.printf("phase_detected_ms p50 %d p99 %d (%d of %d participants; by cause %s)%n",
                detected.getValueAtPercentile(50), detected.getValueAtPercentile(99), detected.getTotalCount(),
                participants, causes);
        out.printf("phase_bound_to_standby_ms p50 %d p99 %d (%d of %d participants took the standby before asking signaling)%n",
                standby.getValueAtPercentile(50), standby.getValueAtPercentile(99), standby.getTotalCount(), participants);
        out.printf("phase_signaling_answered_ms p50 %d p99 %d (%d of %d: resume recorded, table read + conditional write)%n",
                recorded.getValueAtPercentile(50), recorded.getValueAtPercentile(99), recorded.getTotalCount(),
                participants);
    }

    private static void pauseUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
