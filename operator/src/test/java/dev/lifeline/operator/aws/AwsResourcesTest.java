package dev.lifeline.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsProblem;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.operator.aws.call.CleanupResult;
import dev.lifeline.operator.aws.dns.HealthStatus;
import dev.lifeline.operator.aws.dns.InMemoryDnsProvider;
import dev.lifeline.operator.aws.dns.RoutingChangeWatch;
import dev.lifeline.operator.aws.dns.RoutingResult;
import dev.lifeline.operator.aws.table.DesiredTable;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import dev.lifeline.operator.aws.table.SessionTableProvider;
import dev.lifeline.operator.aws.table.TableFix;
import dev.lifeline.operator.aws.table.TableState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The facade: conditions, report, and AWS read only when something can have changed. */
class AwsResourcesTest {

    private final CountingTables tables = new CountingTables(new InMemoryTableProvider());
    private final InMemoryDnsProvider dns = new InMemoryDnsProvider();
    private final MutableClock clock = new MutableClock();
    private final AwsResources aws = new AwsResources(tables, dns, Duration.ofSeconds(60), Duration.ofSeconds(5), clock);
    private final RealtimePlatform platform = TestPlatforms.platform("rtc", "meet", List.of("us-east-1"));

    @Test
    void convergesToReadyConditionsAndThenServesFromCacheUntilTheDriftInterval() {
        AwsReport report = converge();
        assertThat(report.sessionStoreReady().getStatus()).isEqualTo("True");
        assertThat(report.sessionStoreReady().getReason()).isEqualTo("Ready");
        assertThat(report.dnsReady().getStatus()).isEqualTo("True");
        assertThat(report.degraded().getStatus()).isEqualTo("False");
        assertThat(report.nextCheckIn()).isEqualTo(Duration.ofSeconds(60));
        assertThat(report.dnsWeight()).isEqualTo(100);

        int describes = tables.describes;
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(reconcile().cached()).isTrue();
        }
        assertThat(tables.describes).isEqualTo(describes);

        clock.advance(Duration.ofSeconds(10));
        assertThat(reconcile().cached()).isFalse();
        assertThat(tables.describes).isEqualTo(describes + 1);
    }

    @Test
    void aSpecChangeIsCheckedAtOnce() {
        converge();
        platform.getSpec().dns.ttlSeconds = 60;
        assertThat(reconcile().cached()).isFalse();
    }

    @Test
    void failuresBackOffExponentiallyUpToTheDriftIntervalAndSayDegraded() {
        tables.failWith = new AwsFailureException(new AwsProblem(AwsReason.Throttled, "DynamoDB DescribeTable was throttled"),
                "ThrottlingException");

        AwsReport first = reconcile();
        assertThat(first.sessionStoreReady().getStatus()).isEqualTo("False");
        assertThat(first.sessionStoreReady().getReason()).isEqualTo("Throttled");
        assertThat(first.degraded().getStatus()).isEqualTo("True");
        assertThat(first.degraded().getReason()).isEqualTo("Throttled");
        List<Duration> waits = new java.util.ArrayList<>(List.of(first.nextCheckIn()));
        for (int i = 0; i < 5; i++) {
            clock.advance(waits.get(waits.size() - 1));
            waits.add(reconcile().nextCheckIn());
        }
        assertThat(waits).extracting(Duration::getSeconds).containsExactly(5L, 10L, 20L, 40L, 60L, 60L);
        assertThat(tables.describes).isEqualTo(6);

        tables.failWith = null;
        clock.advance(Duration.ofSeconds(60));
        assertThat(converge().degraded().getStatus()).isEqualTo("False");
    }

    @Test
    void cleanupRemovesDnsAndRetainsTheTable() {
        converge();
        CleanupResult result = aws.cleanup(platform, "us-east-1");
        assertThat(result.done()).isTrue();
        assertThat(dns.allRecords(TestPlatforms.ZONE)).isEmpty();
        assertThat(dns.allHealthChecks()).isEmpty();
        assertThat(tables.describe("us-east-1", "meet-sessions")).isPresent();
    }

    @Test
    void aRoutingChangeIsReportedOnceWhenRoute53SaysItIsInSync() {
        converge();
        RoutingResult result = aws.setWeight(platform, "us-east-1", 50, java.util.Set.of());
        assertThat(result.applied()).isTrue();

        assertThat(aws.confirmRoutingChanges(platform)).as("still PENDING at the first poll").isEmpty();
        clock.advance(Duration.ofSeconds(3));
        List<RoutingChangeWatch.ConfirmedChange> confirmed = aws.confirmRoutingChanges(platform);
        assertThat(confirmed).singleElement().satisfies(c -> {
            assertThat(c.change().changeId()).isEqualTo(result.changeId());
            assertThat(c.change().region()).isEqualTo("us-east-1");
            assertThat(c.change().weight()).isEqualTo(50);
            assertThat(c.took()).isEqualTo(Duration.ofSeconds(3));
        });
        assertThat(aws.confirmRoutingChanges(platform)).as("reported once").isEmpty();
    }

    @Test
    void route53HealthIsReadAtMostOncePerHealthCheckInterval() {
        platform.getSpec().dns.healthCheck = new dev.lifeline.operator.api.HealthCheckSpec();
        platform.getSpec().dns.healthCheck.intervalSeconds = 10;
        converge();
        String id = platform.getStatus().dns.healthCheckId;
        assertThat(aws.route53Healthy(platform, "us-east-1")).isTrue();

        dns.setHealth(id, HealthStatus.UNHEALTHY);
        clock.advance(Duration.ofSeconds(5));
        assertThat(aws.route53Healthy(platform, "us-east-1")).as("Route 53 has no newer verdict yet").isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(aws.route53Healthy(platform, "us-east-1")).isTrue();

        dns.setHealth(id, HealthStatus.UNKNOWN);
        clock.advance(Duration.ofSeconds(10));
        assertThat(aws.route53Healthy(platform, "us-east-1")).as("no verdict").isNull();
    }

    @Test
    void route53TurnsUnhealthyOnlyAfterFailureThresholdFailingReadingsInARowAsRoute53Does() {
        platform.getSpec().dns.healthCheck = new dev.lifeline.operator.api.HealthCheckSpec();
        platform.getSpec().dns.healthCheck.intervalSeconds = 10;
        platform.getSpec().dns.healthCheck.failureThreshold = 3;
        converge();
        String id = platform.getStatus().dns.healthCheckId;
        assertThat(aws.route53Healthy(platform, "us-east-1")).isTrue();

        // Each reading is one health-check interval after the one before; null is "no verdict".
        // One slow answer (every checker failed once), then passing again: never unhealthy.
        assertThat(readingsAfterOneIntervalEach(id, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY))
                .as("1 of 3 failing readings, then a passing one").containsExactly(true, true);
        // Failing for good: unhealthy at the third failing reading in a row; a reading without a verdict does not
        // reset the count; one passing reading makes it healthy again.
        assertThat(readingsAfterOneIntervalEach(id, HealthStatus.UNHEALTHY, HealthStatus.UNKNOWN,
                HealthStatus.UNHEALTHY, HealthStatus.UNHEALTHY, HealthStatus.UNHEALTHY, HealthStatus.HEALTHY))
                .as("1 of 3, no verdict, 2 of 3, 3 of 3, 4, passing").containsExactly(true, null, null, false, false, true);
    }

    /** Route 53's verdict read once per health-check interval (10 s), with the health check answering each status. */
    private List<Boolean> readingsAfterOneIntervalEach(String healthCheckId, HealthStatus... answers) {
        List<Boolean> verdicts = new java.util.ArrayList<>();
        for (HealthStatus answer : answers) {
            dns.setHealth(healthCheckId, answer);
            clock.advance(Duration.ofSeconds(10));
            verdicts.add(aws.route53Healthy(platform, "us-east-1"));
        }
        return verdicts;
    }

    private AwsReport converge() {
        for (int pass = 0; pass < 10; pass++) {
            AwsReport report = reconcile();
            if (report.ready()) {
                return report;
            }
            clock.advance(report.nextCheckIn());
        }
        throw new AssertionError("did not converge");
    }

    private AwsReport reconcile() {
        AwsReport report = aws.reconcile(platform, "us-east-1");
        if (platform.getStatus() == null) {
            platform.setStatus(new RealtimePlatformStatus());
        }
        platform.getStatus().dns = report.dns();
        platform.getStatus().sessionStore = report.sessionStore();
        return report;
    }

    /** Counts reads and can fail them, around a real in-memory provider. */
    static final class CountingTables implements SessionTableProvider {
        private final SessionTableProvider delegate;
        int describes;
        AwsFailureException failWith;

        CountingTables(SessionTableProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TableState> describe(String region, String tableName) {
            describes++;
            if (failWith != null) {
                throw failWith;
            }
            return delegate.describe(region, tableName);
        }

        @Override
        public void create(String region, DesiredTable desired) {
            delegate.create(region, desired);
        }

        @Override
        public void apply(String region, String tableName, TableFix fix) {
            delegate.apply(region, tableName, fix);
        }

        @Override
        public void addReplica(String region, String tableName, String replicaRegion) {
            delegate.addReplica(region, tableName, replicaRegion);
        }

        @Override
        public void removeReplica(String region, String tableName, String replicaRegion) {
            delegate.removeReplica(region, tableName, replicaRegion);
        }

        @Override
        public void delete(String region, String tableName) {
            delegate.delete(region, tableName);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @SuppressWarnings("unused")
    private static final Map<String, String> NONE = Map.of();
}
