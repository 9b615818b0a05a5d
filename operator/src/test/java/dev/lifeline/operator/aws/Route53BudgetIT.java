package dev.lifeline.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.operator.aws.call.AwsSettings;
import dev.lifeline.operator.aws.dns.DnsProvider;
import dev.lifeline.operator.aws.dns.Route53Budget;
import dev.lifeline.operator.aws.dns.Route53DnsProvider;
import dev.lifeline.operator.aws.dns.RoutingResult;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.MotoServer;
import dev.lifeline.testkit.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the drift checks of many platforms cost in Route 53 requests, and the request budget, against moto behind the
 * recording proxy (requests counted on the wire). Moto does not throttle: the budget is what keeps the count down.
 */
class Route53BudgetIT {

    private static final Logger LOG = Logger.getLogger(Route53BudgetIT.class);
    private static final int PLATFORMS = 20;
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final Duration DRIFT = Duration.ofSeconds(60);

    private static MotoServer moto;
    private static FaultProxy proxy;
    private static AwsClients clients;
    private static final AwsResourcesTest.MutableClock clock = new AwsResourcesTest.MutableClock();
    private static final List<RealtimePlatform> platforms = new ArrayList<>();

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        proxy = FaultProxy.start(moto.endpoint());
        clients = new AwsClients(AwsSettings.forEndpoint(proxy.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"))));
        platformsInOneZone();
    }

    @AfterAll
    static void stop() {
        if (clients != null) {
            clients.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * PLATFORMS platforms in one zone, each with a record and health check in both regions, created by their
     * operators; once for all tests (each test uses its own platforms where it changes something).
     */
    private static void platformsInOneZone() {
        String zone = clients.route53().createHostedZone(b -> b.name("example.com").callerReference("zone-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        for (int i = 0; i < PLATFORMS; i++) {
            RealtimePlatform platform = TestPlatforms.platform("rtc", "meet" + i, REGIONS);
            platform.getSpec().dns.hostedZoneId = zone;
            platform.setStatus(new RealtimePlatformStatus());
            platforms.add(platform);
        }
        for (String region : REGIONS) {
            AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
            for (RealtimePlatform platform : platforms) {
                AwsReport report = converge(operator, platform, region);
                assertThat(report.dnsReady().getStatus()).as(report.dnsReady().getMessage()).isEqualTo("True");
            }
        }
    }

    @BeforeEach
    void clearCalls() {
        proxy.clearCalls();
    }

    @Test
    void aDriftPassOverManyPlatformsInOneZoneListsTheZoneAndTheHealthChecksOnce() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        String region = REGIONS.get(0);
        for (RealtimePlatform platform : platforms) {
            AwsReport first = reconcile(operator, platform, region); // first check of this process
            assertThat(first.ready()).as(first.dnsReady().getMessage()).isTrue();
        }
        proxy.clearCalls();

        clock.advance(DRIFT); // the next drift pass: every platform reads AWS again
        for (RealtimePlatform platform : platforms) {
            AwsReport report = reconcile(operator, platform, region);
            assertThat(report.cached()).isFalse();
            assertThat(report.ready()).isTrue();
        }
        Map<String, Long> pass = route53Requests();
        LOG.infof("Route 53 requests of one drift pass over %d platforms (%d records in the zone): %s, %.2f per platform",
                PLATFORMS, 4 * PLATFORMS + 2, pass, total(pass) / (double) PLATFORMS);
        // One listing of the zone (pages of up to 100 records here) and of the health checks for all the platforms;
        // no per-platform reads.
        assertThat(pass.getOrDefault("route53:ListResourceRecordSets", 0L)).isLessThanOrEqualTo((4 * PLATFORMS + 2) / 100 + 1);
        assertThat(pass.getOrDefault("route53:ListHealthChecks", 0L)).isEqualTo(1);
        assertThat(pass).doesNotContainKeys("route53:GetHealthCheck", "route53:ListTagsForResource");

        proxy.clearCalls();
        for (RealtimePlatform platform : platforms) {
            operator.route53Healthy(platform, region);
        }
        LOG.infof("Route 53 requests of the own health-check verdicts of %d platforms (once per health-check interval): %s",
                PLATFORMS, route53Requests());
    }

    @Test
    void platformsThisProcessCreatedAreReadFromTheListingsOnceTheirMarksAreOlderThanASnapshot() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        String region = REGIONS.get(0);
        String zone = platforms.get(0).getSpec().dns.hostedZoneId;
        List<RealtimePlatform> own = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RealtimePlatform platform = TestPlatforms.platform("rtc", "own" + i, List.of(region));
            platform.getSpec().dns.hostedZoneId = zone;
            platform.setStatus(new RealtimePlatformStatus());
            assertThat(converge(operator, platform, region).ready()).isTrue(); // created here: marked to read directly
            own.add(platform);
        }
        clock.advance(DRIFT); // a pass after creation takes the listings, which clear the creation's marks
        own.forEach(platform -> assertThat(reconcile(operator, platform, region).ready()).isTrue());
        proxy.clearCalls();

        clock.advance(DRIFT);
        own.forEach(platform -> assertThat(reconcile(operator, platform, region).ready()).isTrue());
        Map<String, Long> pass = route53Requests();
        assertThat(pass).as("the next pass: listings only")
                .doesNotContainKeys("route53:GetHealthCheck", "route53:ListTagsForResource")
                .containsEntry("route53:ListHealthChecks", 1L);
        assertThat(pass.getOrDefault("route53:ListResourceRecordSets", 0L)).as("one zone listing, not a read per name")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aNewPlatformIsReadyWithoutReadingItsOwnHealthCheckBack() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        String region = REGIONS.get(0);
        RealtimePlatform platform = TestPlatforms.platform("rtc", "new0", List.of(region));
        platform.getSpec().dns.hostedZoneId = platforms.get(0).getSpec().dns.hostedZoneId;
        platform.setStatus(new RealtimePlatformStatus());

        AwsReport first = reconcile(operator, platform, region);
        // The new table's settings are applied in the first check, so a second check follows within seconds: the
        // one that used to read the new health check and its tags back.
        assertThat(first.ready()).as("the first check leaves the table's settings pending").isFalse();
        AwsReport ready = converge(operator, platform, region);
        assertThat(ready.ready()).as(ready.dnsReady().getMessage()).isTrue();

        Map<String, Long> requests = route53Requests();
        LOG.infof("Route 53 requests of a new platform until Ready: %s, %d in all", requests, total(requests));
        assertThat(requests).containsEntry("route53:CreateHealthCheck", 1L)
                .doesNotContainKeys("route53:GetHealthCheck", "route53:ListTagsForResource");
    }

    @Test
    void aDriftChangeOutOfBandIsFoundByTheNextPassAndUndone() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        String region = REGIONS.get(0);
        RealtimePlatform platform = platforms.get(3);
        assertThat(reconcile(operator, platform, region).dnsWeight()).isEqualTo(100);
        // Someone changes the record's weight by hand (not through the owner record's override).
        String zone = platform.getSpec().dns.hostedZoneId;
        var set = clients.route53().listResourceRecordSets(b -> b.hostedZoneId(zone)
                .startRecordName("meet3.example.com.").startRecordType("A").startRecordIdentifier(region))
                .resourceRecordSets().get(0);
        assertThat(set.setIdentifier()).isEqualTo(region);
        clients.route53().changeResourceRecordSets(b -> b.hostedZoneId(zone).changeBatch(cb -> cb.changes(
                c -> c.action("UPSERT").resourceRecordSet(set.toBuilder().weight(7L).build()))));

        clock.advance(DRIFT);
        AwsReport report = reconcile(operator, platform, region);
        assertThat(report.dnsWeight()).isEqualTo(100);
        var after = clients.route53().listResourceRecordSets(b -> b.hostedZoneId(zone)
                .startRecordName("meet3.example.com.").startRecordType("A").startRecordIdentifier(region))
                .resourceRecordSets().get(0);
        assertThat(after.weight()).isEqualTo(100L);
    }

    @Test
    void aDrainGoesThroughWhileDriftReadsSaturateTheBudgetAndNothingGoesBeyondTheBudgetAndTheRoutingBurst() throws Exception {
        Route53Budget budget = Route53Budget.of(4, Duration.ofSeconds(20));
        Route53DnsProvider route53 = new Route53DnsProvider(clients, new AwsCallPolicy(clients.settings().breaker()), budget);
        AwsResources operator = new AwsResources(TABLES, route53, DRIFT, Duration.ofSeconds(5), clock);
        DnsProvider driftReads = route53.at(Route53Budget.Priority.DRIFT);
        // Drift-priority reads of one request each (one page of one name), from more threads than permits.
        String zone = platforms.get(0).getSpec().dns.hostedZoneId;
        String name = platforms.get(0).getSpec().dns.recordName;
        AtomicBoolean saturate = new AtomicBoolean(true);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger postponed = new AtomicInteger();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> hammers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread hammer = new Thread(() -> {
                while (saturate.get()) {
                    try {
                        driftReads.records(zone, name);
                        granted.incrementAndGet();
                    } catch (AwsFailureException e) {
                        if (e.reason() == AwsReason.Postponed) {
                            postponed.incrementAndGet();
                        } else {
                            unexpected.add(e);
                        }
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                        return;
                    }
                }
            });
            hammer.start();
            hammers.add(hammer);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !unexpected.isEmpty())
                    .until(() -> granted.get() >= 4 && postponed.get() >= 100);
            int grantedBefore = granted.get();
            RoutingResult drain = operator.drain(platforms.get(5), "eu-west-1", Set.of("eu-west-1"));
            assertThat(drain.applied()).as(drain.outcome().message()).isTrue();
            assertThat(drain.changeId()).isNotNull();
            assertThat(drain.weight()).isZero();
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !unexpected.isEmpty())
                    .until(() -> granted.get() >= grantedBefore + 4);
        } finally {
            saturate.set(false);
            for (Thread hammer : hammers) {
                hammer.join();
            }
        }
        assertThat(unexpected).isEmpty();
        List<Instant> sent = proxy.calls().stream().filter(c -> c.service() == AwsService.ROUTE53)
                .map(RecordedCall::at).sorted().toList();
        int busiestSecond = 0;
        for (int i = 0; i < sent.size(); i++) {
            Instant end = sent.get(i).plusSeconds(1);
            int inSecond = (int) sent.stream().skip(i).takeWhile(at -> at.isBefore(end)).count();
            busiestSecond = Math.max(busiestSecond, inSecond);
        }
        double span = Duration.between(sent.get(0), sent.get(sent.size() - 1)).toMillis() / 1000d;
        LOG.infof("Route 53 budget 4/s under saturation: %d requests sent in %.2f s, busiest second %d, %d drift reads "
                + "postponed", sent.size(), span, busiestSecond, postponed.get());
        // One permit per 250 ms: at most 4 a second over the span (+1 for the permit at its start, +1 for arrival
        // jitter at the proxy), however many threads ask; and the drain's routing burst on top, once per its period.
        int bursts = 1 + (int) (span / Route53Budget.ROUTING_BURST_PERIOD.toSeconds());
        assertThat(sent.size()).isLessThanOrEqualTo((int) (4 * span) + 2 + Route53Budget.ROUTING_BURST * bursts);
        assertThat(route53Requests()).containsKey("route53:ChangeResourceRecordSets");
    }

    @Test
    void aDrainOfTheOwnRegionIsSeenByTheNextDriftCheckNotUndoneFromTheSnapshot() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        String region = REGIONS.get(0);
        RealtimePlatform platform = platforms.get(9);
        clock.advance(DRIFT);
        assertThat(reconcile(operator, platform, region).dnsWeight()).isEqualTo(100); // the zone's snapshot is taken
        RoutingResult drain = operator.drain(platform, region, Set.of(region));
        assertThat(drain.applied()).as(drain.outcome().message()).isTrue();

        AwsReport report = converge(operator, platform, region);
        assertThat(report.dnsWeight()).as("read past the snapshot taken before the drain").isZero();
        var record = clients.route53().listResourceRecordSets(b -> b.hostedZoneId(platform.getSpec().dns.hostedZoneId)
                .startRecordName("meet9.example.com.").startRecordType("A").startRecordIdentifier(region))
                .resourceRecordSets().get(0);
        assertThat(record.weight()).isZero();
        assertThat(operator.restore(platform, region).applied()).isTrue(); // the other tests measure undrained platforms
    }

    @Test
    void aSilentPeersEvidenceTakesItsTargetFromTheZoneSnapshotAndAsksOnlyForTheHealthCheckVerdict() {
        AwsResources operator = operator(Route53Budget.of(1_000, Duration.ofSeconds(20)));
        RealtimePlatform platform = platforms.get(11);
        clock.advance(DRIFT);
        assertThat(reconcile(operator, platform, REGIONS.get(0)).ready()).isTrue(); // the zone's snapshot is taken
        proxy.clearCalls();

        AwsResources.PeerEndpoint peer = operator.peerEndpoint(platform, "eu-west-1");
        assertThat(peer.target()).isEqualTo(TestPlatforms.region(platform, "eu-west-1").endpoint);
        assertThat(route53Requests()).containsOnlyKeys("route53:GetHealthCheckStatus");
    }

    @Test
    void aDriftCheckPostponedForTheBudgetKeepsItsReportAndIsNoFailure() {
        // One permit per 1,000 s, taken by another caller: every drift check is postponed before its first request.
        Route53Budget budget = Route53Budget.of(0.001, Duration.ofSeconds(20));
        budget.acquire(Route53Budget.Priority.DRIFT, "another caller");
        AwsResources operator = operator(budget);
        RealtimePlatform platform = platforms.get(7);
        String region = REGIONS.get(0);
        // The first check of this process is postponed too: DnsReady stays as the status says (operator restart).
        statuses.get(platform.getMetadata().getName() + "@" + region).conditions = new ArrayList<>(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                .withType(AwsReport.DNS_READY).withStatus("True").withReason("Ready").withMessage("as before").build()));
        AwsReport first = reconcile(operator, platform, region);
        assertThat(first.dnsReady().getStatus()).isEqualTo("True");
        assertThat(first.degraded().getStatus()).isEqualTo("False");

        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clock.advance(DRIFT);
            AwsReport report = reconcile(operator, platform, region);
            assertThat(report.cached()).as("postponed: the last report").isTrue();
            assertThat(report.dnsReady().getStatus()).isEqualTo("True");
            assertThat(report.degraded().getStatus()).isEqualTo("False");
            waits.add(report.nextCheckIn());
        }
        // Spread: between half the pending poll (2.5 s) and the drift interval, growing while postponed in a row.
        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(2_500), DRIFT));
        assertThat(waits.get(5)).isGreaterThan(waits.get(0));
    }

    /** The session table is not what is measured here: one in-memory table for every operator of the test. */
    private static final InMemoryTableProvider TABLES = new InMemoryTableProvider();

    private static AwsResources operator(Route53Budget budget) {
        return new AwsResources(TABLES,
                new Route53DnsProvider(clients, new AwsCallPolicy(clients.settings().breaker()), budget), DRIFT,
                Duration.ofSeconds(5), clock);
    }

    private static AwsReport converge(AwsResources operator, RealtimePlatform platform, String region) {
        AwsReport report = reconcile(operator, platform, region);
        for (int pass = 0; pass < 10 && !report.ready(); pass++) {
            clock.advance(report.nextCheckIn());
            report = reconcile(operator, platform, region);
        }
        return report;
    }

    /** One check of one region, its status kept as the reconciler would keep it (each region has its own status). */
    private static final Map<String, RealtimePlatformStatus> statuses = new java.util.concurrent.ConcurrentHashMap<>();

    private static AwsReport reconcile(AwsResources operator, RealtimePlatform platform, String region) {
        String key = platform.getMetadata().getName() + "@" + region;
        RealtimePlatformStatus status = statuses.computeIfAbsent(key, k -> platform.getStatus());
        platform.setStatus(status);
        AwsReport report = operator.reconcile(platform, region);
        RealtimePlatformStatus next = new RealtimePlatformStatus();
        next.conditions = status.conditions;
        next.dns = report.dns();
        next.sessionStore = report.sessionStore();
        statuses.put(key, next);
        platform.setStatus(next);
        return report;
    }

    private static Map<String, Long> route53Requests() {
        return proxy.calls().stream().filter(c -> c.service() == AwsService.ROUTE53)
                .collect(Collectors.groupingBy(RecordedCall::action, TreeMap::new, Collectors.counting()));
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
