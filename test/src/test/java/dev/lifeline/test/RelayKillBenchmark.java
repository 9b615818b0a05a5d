package dev.lifeline.test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.load.Disruption;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.test.harness.RepoPaths;

/**
 * Relay crash → media flowing again, on real pods (scenario c of issue 10 as a benchmark; not a
 * test). Run it with {@code test/bench/relay-kill-bench.sh [calls] [trials]}.
 *
 * <p>The stack of {@link RealPodsE2E} ({@link RealPodsStack}: the operator's media server on a real
 * kubelet, two relays and one signaling pod). Each trial makes {@code calls} two-party calls from
 * this JVM through the signaling pod, SIGKILLs the JVM of the relay carrying the most calls from the
 * host (its process, as a crash would end it), and measures per affected call the time from the
 * kill until every participant receives media through the other relay (a packet still in flight
 * through the dying relay does not count). Then the calls hang up, and the next trial starts once both
 * relays heartbeat ready again (the kubelet restarted the killed one, or the operator replaced it). Writes
 * {@code test/bench/results/relay-kill-real-pods-<time>.txt}.
 */
public final class RelayKillBenchmark {

    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(30);

    private RelayKillBenchmark() {
    }

    /** One trial's outcome: the line for the results file and, per affected call back, its time to media again. */
    private record Trial(String line, List<Long> millis, int affected, int lost, double loadAverage) {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Histogram all = new Histogram(3);
        List<String> lines = new ArrayList<>();
        int affectedTotal = 0;
        int lostTotal = 0;
        List<Double> loads = new ArrayList<>();
        try (RealPodsStack stack = RealPodsStack.start("relay-kill-bench")) {
            stack.createPlatform();
            TokenCodec tokens = new TokenCodec(RealPodsStack.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
            for (int number = 1; number <= trials; number++) {
                try {
                    Trial trial = trial(stack, tokens, calls, number);
                    trial.millis().forEach(all::recordValue);
                    affectedTotal += trial.affected();
                    lostTotal += trial.lost();
                    loads.add(trial.loadAverage());
                    lines.add(trial.line());
                } catch (Exception | AssertionError e) {
                    // A trial that could not run (calls not joined, relays not ready) is reported, not measured.
                    lines.add(String.format("trial %d: not measured: %s", number, e));
                }
                System.out.println(lines.get(lines.size() - 1));
            }
        } catch (Exception | AssertionError e) {
            lines.add("stopped: " + e);
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("# relay SIGKILL -> media again on real pods (RelayKillBenchmark), %s%n", Instant.now()));
        report.append(String.format("# %d trials x %d two-party calls; one real node (containerd + runc + kubelet),"
                + " 2 relay pods and 1 signaling pod of the built image (1 CPU, 512Mi limit each), moto, the operator;%n"
                + "# the calls run in the benchmark's JVM on the host. Nothing pinned: %d cores shared with the"
                + " machine's other work, load average at the kills %s%n", trials, calls,
                Runtime.getRuntime().availableProcessors(), loads.stream().map(l -> String.format("%.1f", l)).toList()));
        lines.forEach(l -> report.append(l).append('\n'));
        report.append(String.format("all: %d calls affected, %d lost; time_to_media_again_ms p50 %d p99 %d max %d%n",
                affectedTotal, lostTotal, all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getMaxValue()));
        Path dir = RepoPaths.root().resolve("test/bench/results");
        Files.createDirectories(dir);
        Path file = dir.resolve("relay-kill-real-pods-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()) + ".txt");
        Files.writeString(file, report);
        System.out.print(report);
        System.out.println("results written to " + file);
        System.exit(0);
    }

    private static Trial trial(RealPodsStack stack, TokenCodec tokens, int calls, int number) throws Exception {
        Awaitility.await("both relays heartbeat ready").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> stack.relaysReady(2));
        try (CallLoad load = CallLoad.start(List.of(stack.signalingUri()), tokens, calls, 2)) {
            RealPodsE2E.awaitMediaFlowing(load);
            Map<String, List<List<AudioParticipant>>> byRelay = load.callsByRelay();
            String victim = byRelay.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                    .orElseThrow().getKey();
            List<Long> pids = stack.containerPids(victim);
            double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Disruption kill = load.disruption("SIGKILL", victim);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Awaitility.await("calls back").atMost(RESUME_TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(kill::allBack);
            } catch (ConditionTimeoutException e) {
                // Those not back count as lost.
            }
            Histogram times = new Histogram(3);
            List<Long> millis = new ArrayList<>();
            kill.outcomes().forEach(call -> call.mediaAgainAfter().ifPresent(d -> {
                times.recordValue(d.toMillis());
                millis.add(d.toMillis());
            }));
            String line = String.format("trial %d: relay %s with %d of %d calls SIGKILLed; media again p50 %d ms,"
                    + " p99 %d ms, max %d ms; %d lost; load average %.1f", number, victim, kill.affected().size(),
                    calls, times.getValueAtPercentile(50), times.getValueAtPercentile(99), times.getMaxValue(),
                    kill.lost().size(), loadAverage);
            // The next trial starts once both relays heartbeat ready again: the kubelet restarts the killed one (with
            // its crash back-off from the second kill on), or the operator replaces it once it counts as crash-looping.
            return new Trial(line, millis, kill.affected().size(), kill.lost().size(), loadAverage);
        }
    }
}
