package dev.lifeline.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.lifeline.media.load.SessionTableSetup;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.RegionHeartbeat;
import dev.lifeline.sessiontable.RegionHeartbeatCodec;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.RecordedCall;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The false-alarm benchmark of failure detection (issue 13, item 3). Not a test: a program that writes a results file.
 * Run it with {@code test/bench/false-drain-bench.sh [minutes]} (default 30).
 *
 * <p>The stack of {@link FailoverBenchmark} (three regions, one packaged operator each with its shipped defaults and
 * the default {@code spec.failover}, the real media server in two of them), with every session-table call of every
 * operator and media server going through an unreliable network for the whole run: each call delayed by 0 to 1 s,
 * and 1 % of them lost ({@link Fault#unreliable}). Nothing fails. Counted, every 250 ms: the suspicions the operators
 * publish in their heartbeats (a region's vote newly naming a peer: allowed, that is what jitter does), and the
 * weights in Route 53; at the end, every drain in the operators' status history and every Route 53 record change an
 * operator submitted. Target: 0 drains, 0 weight changes, 0 Route 53 changes.
 */
public final class FalseDrainBenchmark {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final List<String> REAL = List.of("us-east-1", "eu-west-1");
    private static final Duration JITTER = Duration.ofSeconds(1);
    private static final double LOSS = 0.01;
    private static final Duration SAMPLE = Duration.ofMillis(250);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    /** A suspicion one region published of another, first seen at {@code at}. */
    record Suspicion(Instant at, String by, String of) {
    }

    private FalseDrainBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // exec:java would hold the failure back until every thread ends, which the API clients' pools never do.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        // Loaded now, not minutes later: the shared local Maven repository's jars can be rewritten meanwhile by
        // another build installing the same snapshot.
        Class.forName(RegionHeartbeatCodec.class.getName());
        Class.forName(RegionHeartbeat.class.getName());
        Path resultsDir = RepoPaths.root().resolve("test/bench/results");
        Files.createDirectories(resultsDir);
        String report;
        try (MediaRegions media = MediaRegions.start("false-drain", REGIONS, REAL, platform -> {
        }, RegionSet.OPERATOR_DEFAULTS, START_TIMEOUT)) {
            RegionSet regions = media.regions;
            List<FaultProxy> tableEndpoints = new ArrayList<>(regions.proxies.values());
            tableEndpoints.addAll(media.dataProxies.values());
            Fault unreliable = Fault.unreliable(JITTER, LOSS).onService(AwsService.DYNAMODB);
            Instant start = Instant.now();
            tableEndpoints.forEach(p -> {
                p.clearCalls();
                p.inject(unreliable);
            });
            Instant end = start.plusMillis((long) (minutes * 60_000));
            List<Suspicion> suspicions = new ArrayList<>();
            List<String> weightChanges = new ArrayList<>();
            Map<String, Set<String>> published = new LinkedHashMap<>();
            Map<String, Long> lastWeights = regions.allAt(100);
            Map<String, DynamoDbClient> tables = new LinkedHashMap<>();
            REGIONS.forEach(r -> tables.put(r, SessionTableSetup.emulatorClient(regions.moto.endpoint(), r)));
            try {
                long samples = 0;
                while (Instant.now().isBefore(end)) {
                    Instant at = Instant.now();
                    for (String region : REGIONS) {
                        Set<String> now = suspects(tables.get(region), region);
                        Set<String> before = published.getOrDefault(region, Set.of());
                        now.stream().filter(peer -> !before.contains(peer))
                                .forEach(peer -> suspicions.add(new Suspicion(at, region, peer)));
                        published.put(region, now);
                    }
                    Map<String, Long> weights = regions.weights();
                    if (!weights.equals(lastWeights)) {
                        weightChanges.add(at + " " + lastWeights + " -> " + weights);
                        lastWeights = weights;
                    }
                    samples++;
                    if (samples % 240 == 0) {
                        System.out.printf(Locale.ROOT, "%s: %d suspicions, %d weight changes so far%n", at,
                                suspicions.size(), weightChanges.size());
                    }
                    Thread.sleep(Math.max(0, SAMPLE.toMillis() - Duration.between(at, Instant.now()).toMillis()));
                }
            } finally {
                tables.values().forEach(DynamoDbClient::close);
            }
            long tableCalls = tableEndpoints.stream().mapToLong(p -> p.calls().size()).sum();
            long lost = tableEndpoints.stream().flatMap(p -> p.calls().stream()).filter(c -> c.status() < 0).count();
            List<RecordedCall> changes = regions.proxies.values().stream().flatMap(p -> p.calls().stream())
                    .filter(c -> c.action().equals("route53:ChangeResourceRecordSets") && !c.at().isBefore(start))
                    .toList();
            // Each drain with its time and cause: a count alone cannot tell a start-up artefact from a false alarm.
            List<String> drains = regions.regions.stream().flatMap(r -> regions.platformIn(r).getStatus().history
                    .stream().filter(h -> "Drain".equals(h.action))
                    .map(h -> "in " + r + "'s status: " + h))
                    .toList();
            long controlPlaneSilent = regions.regions.stream()
                    .mapToLong(r -> regions.warnings(r, "ControlPlaneSilent").size()).sum();
            report = report(minutes, Duration.between(start, Instant.now()), tableCalls, lost, suspicions,
                    weightChanges, changes.size(), drains, controlPlaneSilent);
            tableEndpoints.forEach(FaultProxy::clearFaults);
        }
        Path file = resultsDir.resolve("false-drain-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()) + ".txt");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("Results written to " + file);
        System.exit(0); // the kube-apiserver client pools keep non-daemon threads
    }

    /** The suspects a region's operator last published (read past the fault proxies, from its own replica). */
    private static Set<String> suspects(DynamoDbClient table, String region) {
        Map<String, AttributeValue> item = table.getItem(b -> b.tableName(MediaRegions.TABLE)
                .key(ItemKeys.regionHeartbeatKey(region))).item();
        if (item == null || item.isEmpty()) {
            return Set.of();
        }
        RegionHeartbeat heartbeat = RegionHeartbeatCodec.decode(item);
        return heartbeat.suspects() == null ? Set.of() : new TreeSet<>(heartbeat.suspects());
    }

    static String report(double minutes, Duration ran, long tableCalls, long lost, List<Suspicion> suspicions,
            List<String> weightChanges, long route53Changes, List<String> drains, long controlPlaneSilent) {
        StringBuilder out = new StringBuilder();
        out.append("# Lifeline false-drain benchmark\n");
        out.append("# ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, ").append(System.getProperty("java.version")).append('\n');
        out.append("# 3 regions, default spec.failover (phi-accrual over 500 ms heartbeats, phi 8, stale after 6 s,\n"
                + "# majority quorum), operators with their shipped AWS defaults; us-east-1 and eu-west-1 run the real\n"
                + "# media server. Every session-table call of every operator and media server: delayed 0-"
                + JITTER.toMillis() + " ms (uniform),\n# " + (LOSS * 100) + " % lost (connection closed unanswered)."
                + " Nothing else fails.\n");
        out.append(String.format(Locale.ROOT, "# asked %.1f min, ran %.1f min; load average at the end: %s%n%n",
                minutes, ran.toMillis() / 60_000.0, MachineLoad.loadAverage()));
        out.append(String.format(Locale.ROOT, "table calls through the unreliable network  %8d%n", tableCalls));
        out.append(String.format(Locale.ROOT, "  of which lost                             %8d%n", lost));
        out.append(String.format(Locale.ROOT, "suspicions published (a vote naming a peer) %8d%n", suspicions.size()));
        out.append(String.format(Locale.ROOT, "ControlPlaneSilent warnings                 %8d%n", controlPlaneSilent));
        out.append(String.format(Locale.ROOT, "drains (status history, every region)       %8d%n", drains.size()));
        out.append(String.format(Locale.ROOT, "weight changes seen in Route 53             %8d%n", weightChanges.size()));
        out.append(String.format(Locale.ROOT, "Route 53 record changes submitted           %8d%n%n", route53Changes));
        boolean met = drains.isEmpty() && weightChanges.isEmpty() && route53Changes == 0;
        out.append(String.format(Locale.ROOT, "target: 0 drains, 0 weight changes, 0 Route 53 changes: %s%n",
                met ? "met" : "NOT met"));
        if (!suspicions.isEmpty()) {
            out.append("\nsuspicions (first seen; by -> of):\n");
            suspicions.forEach(s -> out.append("  ").append(s.at()).append("  ").append(s.by()).append(" -> ")
                    .append(s.of()).append('\n'));
        }
        if (!drains.isEmpty()) {
            out.append("\ndrains (where recorded; time, action, region, outcome: cause):\n");
            drains.forEach(d -> out.append("  ").append(d).append('\n'));
        }
        if (!weightChanges.isEmpty()) {
            out.append("\nweight changes:\n");
            weightChanges.forEach(w -> out.append("  ").append(w).append('\n'));
        }
        return out.toString();
    }

}
