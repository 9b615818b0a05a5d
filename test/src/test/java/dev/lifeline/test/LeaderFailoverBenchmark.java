package dev.lifeline.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;

import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.RepoPaths;

/**
 * The leader-failover benchmark (issue 11, item 2): how fast the operator's standby replica takes over from a leader
 * that is SIGKILLed (a crash) or SIGTERMed (a rolling update), and whether the region's heartbeat ever gets old
 * enough for a peer to call it stale. Not a test: a program that writes a results file. Run it with
 * {@code test/bench/leader-failover-bench.sh [trials per kind]}.
 *
 * <p>Two regions (each a real kube-apiserver + etcd; moto for the session table and Route 53) share platform
 * rtc/meet. us-east-1 runs two replicas of the packaged operator with its shipped settings (leader election, AWS),
 * as {@code deploy/} does; eu-west-1, one: the peer that reads us-east-1's heartbeat (a platform in one region
 * writes none, as nobody reads it). Trials alternate SIGKILL and SIGTERM of whichever us-east-1 replica holds the
 * Lease, at a random moment; after each, a new replica is started as the next standby. Measured from the signal:
 * <ul>
 *   <li><b>released</b> (SIGTERM): the Lease released by the leader shutting down ({@code holderIdentity} "");</li>
 *   <li><b>Lease taken</b>: the standby's {@code acquireTime} in the Lease;</li>
 *   <li><b>heartbeat</b>: the new leader's first heartbeat seen in the session table (polled every 50 ms);</li>
 *   <li><b>oldest seen</b>: the age of the region's heartbeat when the new one appeared (from the old leader's last
 *       heartbeat's own time): what a peer reads at worst. A peer calls the region stale beyond
 *       {@code staleAfterSeconds} (6 s).</li>
 * </ul>
 */
public final class LeaderFailoverBenchmark {

    private static final String REGION = "us-east-1";
    /** The peer region, whose operator reads {@link #REGION}'s heartbeat. */
    private static final String PEER = "eu-west-1";
    private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(60);
    /** The peers' patience under the default spec.failover: a heartbeat older than this is stale. */
    private static final long STALE_AFTER_MILLIS = 6_000;

    enum Signal { SIGKILL, SIGTERM }

    /** One trial, in milliseconds from the signal; empty when it did not happen in time (or does not apply). */
    record Trial(int number, Signal signal, Optional<Long> released, Optional<Long> leaseTaken,
            Optional<Long> heartbeat, Optional<Long> oldestSeen, Optional<Long> exited) {
    }

    private LeaderFailoverBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int perKind = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path resultsDir = RepoPaths.root().resolve("test/bench/results");
        Files.createDirectories(resultsDir);
        List<Trial> results = new ArrayList<>();
        List<OperatorProcess> replicas = new ArrayList<>();
        try (RegionSet regions = RegionSet.start("leader-bench", List.of(REGION, PEER), List.of(), platform -> {
        }, RegionSet.OPERATOR_DEFAULTS);
                LeaseRecorder lease = LeaseRecorder.start(regions.planes.get(REGION).client());
                HeartbeatRecorder heartbeats = HeartbeatRecorder.start(regions.moto.endpoint(), RegionSet.TABLE,
                        REGION, PEER)) {
            regions.awaitSteady("start", TRIAL_TIMEOUT);
            replicas.add(regions.operators.get(REGION));
            replicas.add(regions.startReplica(REGION, "leader-bench-" + REGION + "-2"));
            for (int i = 1; i <= 2 * perKind; i++) {
                Signal signal = i % 2 == 1 ? Signal.SIGKILL : Signal.SIGTERM;
                Trial trial = runTrial(i, signal, replicas, lease, heartbeats);
                results.add(trial);
                System.out.printf(Locale.ROOT, "trial %2d  %s  released %5s  Lease taken %5s  heartbeat %5s  "
                        + "oldest seen %5s  exited %5s ms%n", i, signal, show(trial.released()),
                        show(trial.leaseTaken()), show(trial.heartbeat()), show(trial.oldestSeen()),
                        show(trial.exited()));
                replicas.add(regions.startReplica(REGION, "leader-bench-" + REGION + "-" + (i + 2)));
            }
        } finally {
            replicas.forEach(OperatorProcess::close);
        }
        Path file = resultsDir.resolve("leader-failover-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()) + ".txt");
        String report = report(results);
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("Results written to " + file);
        System.exit(0); // the kube-apiserver client pools keep non-daemon threads
    }

    private static Trial runTrial(int number, Signal signal, List<OperatorProcess> replicas, LeaseRecorder lease,
            HeartbeatRecorder heartbeats) {
        // A settled pair: one replica leads and heartbeats, the other waits for the Lease.
        Awaitility.await("a leader among " + replicas + " heartbeating").atMost(TRIAL_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> lease.holder().flatMap(holder -> replicas.stream()
                        .filter(r -> r.identity().equals(holder)).findFirst()).isPresent()
                        && heartbeats.firstWrittenAfter(Instant.now().minusSeconds(3)).isPresent());
        OperatorProcess leader = replicas.stream().filter(r -> r.identity().equals(lease.holder().orElseThrow()))
                .findFirst().orElseThrow();
        OperatorProcess standby = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
        // Not synchronisation: the signal lands at a random moment of the heartbeat's beats, as a crash would.
        sleep(ThreadLocalRandom.current().nextLong(2_000));

        Instant signalled = Instant.now();
        Optional<Long> exited;
        if (signal == Signal.SIGKILL) {
            leader.kill();
            exited = Optional.of(millis(signalled, Instant.now()));
        } else {
            exited = leader.terminate(Duration.ofSeconds(30)) ? Optional.of(millis(signalled, Instant.now()))
                    : Optional.empty();
        }
        replicas.remove(leader);
        leader.close();
        Optional<LeaseRecorder.Holder> taken = awaitPresent(() -> lease.taken(standby.identity(), signalled));
        Optional<HeartbeatRecorder.Seen> first = taken.flatMap(
                t -> awaitPresent(() -> heartbeats.firstWrittenAfter(t.acquired())));
        Optional<Long> released = signal == Signal.SIGTERM
                ? lease.taken("", signalled).map(h -> millis(signalled, h.acquired()))
                : Optional.empty();
        Optional<Long> oldest = first.flatMap(f -> heartbeats.lastWrittenBefore(signalled)
                .map(last -> millis(last.at(), f.seenAt())));
        return new Trial(number, signal, released, taken.map(t -> millis(signalled, t.acquired())),
                first.map(f -> millis(signalled, f.seenAt())), oldest, exited);
    }

    private static <T> Optional<T> awaitPresent(java.util.function.Supplier<Optional<T>> value) {
        try {
            Awaitility.await().atMost(TRIAL_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> value.get().isPresent());
            return value.get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    static String report(List<Trial> trials) {
        StringBuilder out = new StringBuilder();
        out.append("# Lifeline leader-failover benchmark (issue 11, item 2)\n");
        out.append("# ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, ").append(System.getProperty("java.version")).append(", load average ")
                .append(String.format(Locale.ROOT, "%.1f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" at the end\n");
        out.append("# 2 regions sharing one platform; us-east-1 runs 2 operator replicas with the shipped settings\n");
        out.append("# (lease 2 s, renew deadline 1.5 s, retry 0.4 s; default spec.failover: heartbeats every 500 ms,\n");
        out.append("# stale after 6 s), read from eu-west-1's table replica; the leader SIGKILLed or SIGTERMed at a\n");
        out.append("# random moment. Times in ms from the signal; oldest seen: the region's heartbeat age when the new\n");
        out.append("# leader's first one appeared (a peer calls it stale beyond 6000 ms).\n\n");
        out.append("trial  signal   released  Lease-taken  heartbeat  oldest-seen  exited\n");
        for (Trial t : trials) {
            out.append(String.format(Locale.ROOT, "%5d  %-7s  %8s  %11s  %9s  %11s  %6s%n", t.number(), t.signal(),
                    show(t.released()), show(t.leaseTaken()), show(t.heartbeat()), show(t.oldestSeen()),
                    show(t.exited())));
        }
        for (Signal signal : Signal.values()) {
            List<Trial> of = trials.stream().filter(t -> t.signal() == signal).toList();
            out.append(String.format(Locale.ROOT, "%n%s (%d trials)%n", signal, of.size()));
            TrialSummary.header(out);
            if (signal == Signal.SIGTERM) {
                TrialSummary.line(out, "released", of, Trial::released);
            }
            TrialSummary.line(out, "Lease taken", of, Trial::leaseTaken);
            TrialSummary.line(out, "heartbeat", of, Trial::heartbeat);
            TrialSummary.line(out, "oldest seen", of, Trial::oldestSeen);
            TrialSummary.line(out, "exited", of, Trial::exited);
        }
        Histogram oldest = TrialSummary.histogram(trials, Trial::oldestSeen);
        boolean met = oldest.getTotalCount() == trials.size() && oldest.getMaxValue() <= STALE_AFTER_MILLIS;
        out.append(String.format(Locale.ROOT, "%ntarget: the region's heartbeat never older than %d ms for a reader "
                + "(every trial): %s%n", STALE_AFTER_MILLIS, met ? "met" : "NOT met"));
        return out.toString();
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static String show(Optional<Long> millis) {
        return millis.map(String::valueOf).orElse("-");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
