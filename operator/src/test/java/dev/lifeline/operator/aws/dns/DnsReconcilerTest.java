package dev.lifeline.operator.aws.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.DnsStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.TestPlatforms;
import dev.lifeline.operator.aws.call.AwsReason;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DNS logic against the in-memory provider, which enforces Route 53's batch and CallerReference rules. */
class DnsReconcilerTest {

    private final InMemoryDnsProvider provider = new InMemoryDnsProvider();
    private final RegionRouting routing = new RegionRouting(provider);
    private final DnsReconciler dns = new DnsReconciler(provider, routing);
    private final RealtimePlatform platform = TestPlatforms.threeRegions();

    @Test
    void createsRecordOwnerRecordAndTaggedHealthCheckThenConvergesWithoutWrites() {
        DnsReconciler.Result first = reconcile("us-east-1");

        assertThat(first.outcome().reason()).isEqualTo(AwsReason.Pending); // change PENDING until asked again
        DnsRecord record = provider.records(TestPlatforms.ZONE, "meet.example.com").get(0);
        assertThat(record).isEqualTo(new DnsRecord("meet.example.com.", "A", "us-east-1", 100L, null, null, 30,
                List.of("192.0.2.10"), first.status().healthCheckId));
        assertThat(provider.records(TestPlatforms.ZONE, "_lifeline-owner.meet.example.com")).singleElement()
                .satisfies(owner -> assertThat(DnsOwnership.parse(owner)).hasValue(
                        new DnsOwnership.Owner("rtc/meet", "us-east-1", Optional.empty())));
        HealthCheck check = provider.allHealthChecks().get(0);
        assertThat(check.settings()).isEqualTo(new HealthCheckSettings("192.0.2.10", null, 8080, "/q/health/ready", 10, 3,
                false));
        assertThat(check.tags()).containsEntry(DnsOwnership.OWNER_TAG, "rtc/meet")
                .containsEntry(DnsOwnership.REGION_TAG, "us-east-1");

        DnsReconciler.Result second = reconcile("us-east-1");
        assertThat(second.outcome().reason()).isEqualTo(AwsReason.Ready);
        assertThat(second.status().pendingChangeId).isNull();
        List<DnsRecord> before = provider.allRecords(TestPlatforms.ZONE);
        DnsReconciler.Result third = reconcile("us-east-1");
        assertThat(third.outcome().reason()).isEqualTo(AwsReason.Ready);
        assertThat(provider.allRecords(TestPlatforms.ZONE)).isEqualTo(before);
        assertThat(provider.allHealthChecks()).hasSize(1);
    }

    @Test
    void neverTouchesARecordItDidNotCreate() {
        DnsRecord foreign = new DnsRecord("meet.example.com", "A", "us-east-1", 10L, null, null, 60, List.of("198.51.100.1"),
                null);
        provider.change(TestPlatforms.ZONE, List.of(DnsChange.create(foreign)), "someone else");

        DnsReconciler.Result result = reconcile("us-east-1");

        assertThat(result.outcome().reason()).isEqualTo(AwsReason.Conflict);
        assertThat(result.outcome().message()).contains("not created by Lifeline");
        assertThat(provider.allRecords(TestPlatforms.ZONE)).containsExactly(foreign);
        assertThat(dns.cleanup(platform, "us-east-1").done()).isTrue();
        assertThat(provider.allRecords(TestPlatforms.ZONE)).containsExactly(foreign);
    }

    @Test
    void anotherPlatformsRecordIsAConflictAndSurvivesCleanup() {
        RealtimePlatform other = TestPlatforms.platform("other", "meet", List.of("us-east-1"));
        other.getSpec().dns.recordName = "meet.example.com";
        new DnsReconciler(provider, routing).reconcile(other, "us-east-1", null);
        List<DnsRecord> theirs = provider.allRecords(TestPlatforms.ZONE);

        assertThat(reconcile("us-east-1").outcome().message()).contains("owned by other/meet");
        dns.cleanup(platform, "us-east-1");
        assertThat(provider.allRecords(TestPlatforms.ZONE)).containsExactlyInAnyOrderElementsOf(theirs);
        assertThat(provider.allHealthChecks()).hasSize(1);
    }

    @Test
    void restoresDriftAndAdoptsItsHealthCheckByTagsWhenStatusIsLost() {
        DnsReconciler.Result created = reconcile("us-east-1");
        String checkId = created.status().healthCheckId;
        DnsRecord record = provider.records(TestPlatforms.ZONE, "meet.example.com").get(0);
        provider.change(TestPlatforms.ZONE, List.of(DnsChange.upsert(record.withValues(List.of("203.0.113.9")))), "oob");

        platform.setStatus(null); // status lost: the health check must be found by its tags, not duplicated
        DnsReconciler.Result restored = reconcile("us-east-1");

        assertThat(restored.status().healthCheckId).isEqualTo(checkId);
        assertThat(provider.records(TestPlatforms.ZONE, "meet.example.com")).singleElement()
                .satisfies(r -> assertThat(r.values()).containsExactly("192.0.2.10"));
        assertThat(provider.allHealthChecks()).hasSize(1);
    }

    @Test
    void aNewRegionFindsItsHealthCheckWithoutReadingEveryHealthCheckOfTheAccount() {
        SearchCounting counting = new SearchCounting(provider);
        DnsReconciler counted = new DnsReconciler(counting, routing);
        for (int i = 0; i < 3; i++) {
            DnsReconciler.Result result = counted.reconcile(platform, "us-east-1", "192.0.2.10");
            platform.setStatus(new RealtimePlatformStatus());
            if (i == 0) {
                platform.getStatus().dns = result.status();
            } // then status lost: the record names the check
        }
        assertThat(counting.searches).as("a search by tags reads the whole account: O(platforms) per platform")
                .isZero();
        assertThat(provider.allHealthChecks()).hasSize(1);
    }

    @Test
    void statusLostAndARecordWithoutItsCheckSearchesByTagsRatherThanDuplicating() {
        String checkId = reconcile("us-east-1").status().healthCheckId;
        DnsRecord record = provider.records(TestPlatforms.ZONE, "meet.example.com").get(0);
        DnsRecord withoutCheck = new DnsRecord(record.name(), record.type(), record.setIdentifier(), record.weight(),
                record.latencyRegion(), record.failover(), record.ttl(), record.values(), null);
        provider.change(TestPlatforms.ZONE, List.of(DnsChange.upsert(withoutCheck)), "oob");
        platform.setStatus(null);
        SearchCounting counting = new SearchCounting(provider);

        DnsReconciler.Result adopted = new DnsReconciler(counting, routing).reconcile(platform, "us-east-1",
                "192.0.2.10");

        assertThat(counting.searches).isEqualTo(1);
        assertThat(adopted.status().healthCheckId).isEqualTo(checkId);
        assertThat(provider.allHealthChecks()).hasSize(1);
    }

    @Test
    void aCreateWhoseAnswerWasLostAndWasRetriedIsPendingThenConverges() {
        SearchCounting retrying = new SearchCounting(provider) {
            @Override
            public String change(String zoneId, List<DnsChange> changes, String comment) {
                super.change(zoneId, changes, comment); // went through, its answer lost: the SDK sends it again
                return super.change(zoneId, changes, comment);
            }
        };
        DnsReconciler.Result lost = new DnsReconciler(retrying, routing).reconcile(platform, "us-east-1", "192.0.2.10");
        assertThat(lost.outcome().reason()).as("not Invalid: nothing to fix in the spec").isEqualTo(AwsReason.Pending);

        platform.setStatus(new RealtimePlatformStatus());
        platform.getStatus().dns = lost.status();
        DnsReconciler.Result next = dns.reconcile(platform, "us-east-1", "192.0.2.10");
        assertThat(next.outcome().reason()).isIn(AwsReason.Ready, AwsReason.Pending);
        assertThat(dns.reconcile(platform, "us-east-1", "192.0.2.10").outcome().reason()).isEqualTo(AwsReason.Ready);
        assertThat(provider.records(TestPlatforms.ZONE, "meet.example.com")).hasSize(1);
    }

    /** The in-memory provider, counting searches by tags. */
    private static class SearchCounting extends ForwardingDnsProvider {
        int searches;

        SearchCounting(DnsProvider delegate) {
            super(delegate);
        }

        @Override
        public List<HealthCheck> healthChecksTagged(java.util.Map<String, String> tags) {
            searches++;
            return delegate.healthChecksTagged(tags);
        }
    }

    @Test
    void recreatesADeletedHealthCheckUnderAFreshCallerReference() {
        String first = reconcile("us-east-1").status().healthCheckId;
        provider.deleteHealthCheck(first);

        String second = reconcile("us-east-1").status().healthCheckId;

        assertThat(second).isNotEqualTo(first);
        assertThat(provider.allHealthChecks()).extracting(HealthCheck::id).containsExactly(second);
        assertThat(provider.records(TestPlatforms.ZONE, "meet.example.com").get(0).healthCheckId()).isEqualTo(second);
    }

    @Test
    void changingTheIntervalReplacesTheHealthCheckAndDeletesTheOldOne() {
        String first = reconcile("us-east-1").status().healthCheckId;
        platform.getSpec().dns.healthCheck.intervalSeconds = 30;

        String second = reconcile("us-east-1").status().healthCheckId;

        assertThat(second).isNotEqualTo(first);
        assertThat(provider.allHealthChecks()).extracting(HealthCheck::id).containsExactly(second);
        assertThat(provider.allHealthChecks().get(0).settings().intervalSeconds()).isEqualTo(30);
    }

    @Test
    void changingThePathUpdatesTheHealthCheckInPlace() {
        String first = reconcile("us-east-1").status().healthCheckId;
        platform.getSpec().dns.healthCheck.path = "/ready";

        assertThat(reconcile("us-east-1").status().healthCheckId).isEqualTo(first);
        assertThat(provider.allHealthChecks().get(0).settings().path()).isEqualTo("/ready");
    }

    @Test
    void hostNameTargetsGetCnameRecordsAndFqdnHealthChecks() {
        TestPlatforms.region(platform, "us-east-1").endpoint = null;

        assertThat(reconcile("us-east-1", null).outcome().reason()).isEqualTo(AwsReason.Pending);
        reconcile("us-east-1", "lb-1.elb.example.net");

        assertThat(provider.records(TestPlatforms.ZONE, "meet.example.com")).singleElement()
                .satisfies(r -> assertThat(r.type()).isEqualTo("CNAME"));
        assertThat(provider.allHealthChecks().get(0).settings().fqdn()).isEqualTo("lb-1.elb.example.net");
    }

    @Test
    void specDrainSetsWeightZeroWhileAnotherRegionServesButNeverForTheLastOne() {
        reconcile("us-east-1");
        TestPlatforms.region(platform, "us-east-1").drain = true;

        DnsReconciler.Result alone = reconcile("us-east-1");
        assertThat(alone.weight()).isEqualTo(100);
        assertThat(alone.outcome().message()).contains("refused to drain us-east-1");

        reconcile("eu-west-1");
        assertThat(reconcile("us-east-1").weight()).isZero();
        assertThat(weightOf("us-east-1")).isZero();
    }

    @Test
    void aRepeatedDrainSubmitsNoChange() {
        reconcile("us-east-1");
        reconcile("eu-west-1");
        RoutingResult first = routing.drain(platform, "eu-west-1", Set.of());
        assertThat(first.changeId()).isNotNull();

        RoutingResult again = routing.drain(platform, "eu-west-1", Set.of());
        assertThat(again.applied()).isTrue();
        assertThat(again.weight()).isZero();
        assertThat(again.changeId()).as("nothing submitted").isNull();
        assertThat(again.outcome().message()).contains("already at weight 0");
    }

    @Test
    void drainOverrideSurvivesTheRegionsOwnReconcileAndRestoreEndsIt() {
        reconcile("us-east-1");
        reconcile("eu-west-1");

        RoutingResult drained = routing.drain(platform, "eu-west-1", Set.of());
        assertThat(drained.applied()).isTrue();
        reconcile("eu-west-1");
        assertThat(weightOf("eu-west-1")).isZero();

        assertThat(routing.drain(platform, "us-east-1", Set.of()).applied()).isFalse();
        assertThat(weightOf("us-east-1")).isEqualTo(100);

        assertThat(routing.restore(platform, "eu-west-1").applied()).isTrue();
        reconcile("eu-west-1");
        assertThat(weightOf("eu-west-1")).isEqualTo(100);
    }

    @Test
    void unhealthyPeersDoNotCountWhenDraining() {
        reconcile("us-east-1");
        String euCheck = reconcile("eu-west-1").status().healthCheckId;
        provider.setHealth(euCheck, HealthStatus.UNHEALTHY);

        assertThat(routing.drain(platform, "us-east-1", Set.of()).outcome().message()).contains("last healthy region");
        assertThat(routing.drain(platform, "eu-west-1", Set.of()).applied()).isTrue();
    }

    @Test
    void latencyRoutingDrainsByInvertingTheHealthCheck() {
        platform.getSpec().dns.routingPolicy = DnsSpec.RoutingPolicy.Latency;
        reconcile("us-east-1");
        String euCheck = reconcile("eu-west-1").status().healthCheckId;

        assertThat(routing.drain(platform, "eu-west-1", Set.of()).applied()).isTrue();
        assertThat(provider.healthCheck(euCheck).orElseThrow().settings().inverted()).isTrue();
        reconcile("eu-west-1");
        assertThat(provider.healthCheck(euCheck).orElseThrow().settings().inverted()).isTrue();
        assertThat(provider.records(TestPlatforms.ZONE, "meet.example.com"))
                .allSatisfy(r -> assertThat(r.latencyRegion()).isEqualTo(r.setIdentifier()));
    }

    @Test
    void failoverWithMoreThanTwoRegionsIsInvalid() {
        platform.getSpec().dns.routingPolicy = DnsSpec.RoutingPolicy.Failover;
        assertThat(reconcile("us-east-1").outcome().reason()).isEqualTo(AwsReason.Invalid);
        assertThat(provider.allRecords(TestPlatforms.ZONE)).isEmpty();
    }

    @Test
    void cleanupRemovesOnlyItsRegionsRecordsAndHealthCheck() {
        reconcile("us-east-1");
        reconcile("eu-west-1");

        assertThat(dns.cleanup(platform, "us-east-1").done()).isTrue();

        assertThat(provider.allRecords(TestPlatforms.ZONE)).allSatisfy(r -> assertThat(r.setIdentifier()).isEqualTo("eu-west-1"))
                .hasSize(2);
        assertThat(provider.allHealthChecks()).singleElement()
                .satisfies(c -> assertThat(c.tags()).containsEntry(DnsOwnership.REGION_TAG, "eu-west-1"));
    }

    private long weightOf(String region) {
        return provider.records(TestPlatforms.ZONE, "meet.example.com").stream()
                .filter(r -> r.setIdentifier().equals(region)).findFirst().orElseThrow().weight();
    }

    private DnsReconciler.Result reconcile(String region) {
        return reconcile(region, null);
    }

    /** Reconciles like the operator: the status of the previous pass is the input of the next. */
    private DnsReconciler.Result reconcile(String region, String loadBalancer) {
        DnsReconciler.Result result = dns.reconcile(platform, region, loadBalancer);
        if (platform.getStatus() == null) {
            platform.setStatus(new RealtimePlatformStatus());
        }
        DnsStatus status = result.status();
        platform.getStatus().dns = status;
        return result;
    }
}
