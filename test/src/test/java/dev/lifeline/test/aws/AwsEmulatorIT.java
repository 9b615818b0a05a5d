package dev.lifeline.test.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.SessionStoreSpec;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.aws.call.CleanupResult;
import dev.lifeline.operator.aws.dns.DnsOwnership;
import dev.lifeline.operator.aws.dns.RoutingResult;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.IamPolicy;
import dev.lifeline.testkit.Permission;
import dev.lifeline.testkit.RecordedCall;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The operator's AWS side against moto, started as a real process, through the fault proxy.
 *
 * <p>What the emulator covers here: DynamoDB tables (key schema, billing, streams, TTL, point-in-time
 * recovery, deletion protection, items) and Route 53 (hosted zones, weighted/latency records,
 * health checks, tags) are moto's own. Global-table replicas (UpdateTable ReplicaUpdates,
 * CREATING -> ACTIVE, one at a time), Route 53's exact DELETE/CREATE semantics, CallerReference
 * idempotency and PENDING -> INSYNC changes are the test kit's additions to moto
 * (lifeline_moto.py), because moto 5.2.1 lacks them. Not covered by any emulator: item
 * replication between regions, real health checkers (moto reports every check healthy), IAM
 * evaluation (the least-privilege test compares the calls seen with the policy instead).
 *
 * <p>Needs the packaged operator ({@code ./mvnw -DskipTests install}) and the control-plane
 * binaries, like the other ITs of this module.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class AwsEmulatorIT {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final Set<String> PERMISSIONS_USED = new TreeSet<>();
    /** Permissions (action on resource) the operator needed that deploy/iam-policy.json, filled in for the test's platform, denies. */
    private static final Set<String> DENIED = new TreeSet<>();
    /** Permissions checked against the policy (so the check cannot pass by checking nothing). */
    private static final Set<Permission> CHECKED = new java.util.LinkedHashSet<>();
    private static AwsHarness aws;

    private final List<RegionOperator> operators = new ArrayList<>();
    private RealtimePlatform platform;
    private String zoneId;

    @BeforeAll
    static void startEmulator() {
        aws = AwsHarness.start();
    }

    @AfterAll
    static void stopEmulator() {
        if (aws != null) {
            aws.close();
        }
    }

    @BeforeEach
    void freshPlatform() {
        aws.reset();
        zoneId = aws.createZone("example.com");
        platform = AwsHarness.sample(RepoPaths.samples().resolve("three-region.yaml"));
        platform.getMetadata().setGeneration(1L);
        platform.getMetadata().setUid("uid-meet");
        platform.getSpec().dns.hostedZoneId = zoneId;
    }

    @AfterEach
    void collectPermissions() {
        PERMISSIONS_USED.addAll(aws.proxy.permissionsNeeded());
        IamPolicy policy = iamPolicyFor(platform);
        for (Permission permission : aws.proxy.permissionsOnResources()) {
            CHECKED.add(permission);
            if (!policy.allows(permission)) {
                DENIED.add(permission.action() + " on " + permission.resource());
            }
        }
        operators.forEach(RegionOperator::close);
        operators.clear();
    }

    /** deploy/iam-policy.json as an operator of this platform gets it: moto's account, the spec's table and zone. */
    private static IamPolicy iamPolicyFor(RealtimePlatform platform) {
        try {
            return IamPolicy.load(RepoPaths.deploy().resolve("iam-policy.json"), Map.of("ACCOUNT_ID", FaultProxy.ACCOUNT,
                    "TABLE_NAME", platform.getSpec().sessionStore.tableName,
                    "HOSTED_ZONE_ID", platform.getSpec().dns.hostedZoneId));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RegionOperator operator(String region) {
        RegionOperator operator = aws.operator(platform, region);
        operators.add(operator);
        return operator;
    }

    private List<RegionOperator> allRegions() {
        return REGIONS.stream().map(this::operator).toList();
    }

    /** Reconciles every region, as each region's operator would on its schedule, until all are ready. */
    private static void awaitReady(List<RegionOperator> regions) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (RegionOperator region : regions) {
                region.reconcile();
            }
            for (RegionOperator region : regions) {
                assertThat(region.last().ready()).as(region.region + ": " + region.last().sessionStoreReady().getMessage()
                        + " / " + region.last().dnsReady().getMessage()).isTrue();
            }
        });
    }

    private TableDescription table(String region) {
        return aws.dynamo(region).describeTable(b -> b.tableName("meet-sessions")).table();
    }

    private boolean tableExists(String region) {
        return aws.dynamo(region).listTables().tableNames().contains("meet-sessions");
    }

    private static boolean isWrite(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        return !(name.startsWith("Describe") || name.startsWith("Get") || name.startsWith("List"));
    }

    @Nested
    @Order(1)
    class ThreeRegions {

        @Test
        void sampleConvergesWithoutSteadyStateWritesAndDeletionRemovesDnsButRetainsTheTable() {
            List<RegionOperator> regions = allRegions();
            awaitReady(regions);

            TableDescription home = table("us-east-1");
            assertThat(home.keySchema()).extracting(k -> k.attributeName() + "/" + k.keyTypeAsString())
                    .containsExactly("pk/HASH", "sk/RANGE");
            assertThat(home.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");
            assertThat(home.deletionProtectionEnabled()).isTrue();
            assertThat(home.replicas()).extracting(ReplicaDescription::regionName, r -> r.replicaStatusAsString())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("eu-west-1", "ACTIVE"),
                            org.assertj.core.groups.Tuple.tuple("ap-southeast-2", "ACTIVE"));
            for (String region : REGIONS) {
                assertThat(aws.dynamo(region).describeTimeToLive(b -> b.tableName("meet-sessions"))
                        .timeToLiveDescription().attributeName()).isEqualTo("expiresAt");
                assertThat(aws.dynamo(region).describeContinuousBackups(b -> b.tableName("meet-sessions"))
                        .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus())
                        .isEqualTo(PointInTimeRecoveryStatus.ENABLED);
            }
            assertThat(regions.get(0).last().sessionStore().replicas).extracting(r -> r.region + "=" + r.status)
                    .containsExactly("ap-southeast-2=ACTIVE", "eu-west-1=ACTIVE", "us-east-1=ACTIVE");

            List<ResourceRecordSet> records = aws.records(zoneId, "media.example.com");
            assertThat(records).extracting(ResourceRecordSet::setIdentifier, ResourceRecordSet::weight,
                    r -> r.resourceRecords().get(0).value(), ResourceRecordSet::typeAsString)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("us-east-1", 100L, "lb-us-east-1.elb.example.net", "CNAME"),
                            org.assertj.core.groups.Tuple.tuple("eu-west-1", 100L, "lb-eu-west-1.elb.example.net", "CNAME"),
                            org.assertj.core.groups.Tuple.tuple("ap-southeast-2", 50L, "media-ap.example.com", "CNAME"));
            assertThat(records).allSatisfy(r -> assertThat(r.ttl()).isEqualTo(30L));
            assertThat(aws.records(zoneId, "_lifeline-owner.media.example.com")).hasSize(3);
            Map<String, Map<String, String>> checks = aws.healthChecks();
            assertThat(checks).hasSize(3);
            assertThat(records).allSatisfy(r -> assertThat(checks.get(r.healthCheckId()))
                    .containsEntry(DnsOwnership.REGION_TAG, r.setIdentifier())
                    .containsEntry(DnsOwnership.OWNER_TAG, "rtc/meet"));

            // Steady state: several drift checks per region, and not one write to AWS.
            aws.proxy.clearCalls();
            int[] fresh = new int[REGIONS.size()];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int i = 0; i < regions.size(); i++) {
                    if (!regions.get(i).reconcile().cached()) {
                        fresh[i]++;
                    }
                }
                return java.util.Arrays.stream(fresh).allMatch(n -> n >= 2);
            });
            assertThat(aws.proxy.calls()).extracting(RecordedCall::action).isNotEmpty().noneMatch(AwsEmulatorIT::isWrite);

            for (RegionOperator region : regions) {
                CleanupResult cleanup = region.cleanup();
                assertThat(cleanup.done()).as(cleanup.outcome().message()).isTrue();
            }
            assertThat(aws.records(zoneId)).isEmpty();
            assertThat(aws.healthChecks()).isEmpty();
            assertThat(REGIONS).allMatch(AwsEmulatorIT.this::tableExists);
        }

        @Test
        void adoptsACompatibleTableWithItsDataAndReportsAnIncompatibleOneUntouched() {
            aws.dynamo("us-east-1").createTable(b -> b.tableName("meet-sessions")
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                            a -> a.attributeName("sk").attributeType("S"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                    .billingMode("PAY_PER_REQUEST"));
            aws.dynamo("us-east-1").putItem(b -> b.tableName("meet-sessions").item(Map.of(
                    "pk", AttributeValue.fromS("SESSION#existing"), "sk", AttributeValue.fromS("META"))));
            String arn = table("us-east-1").tableArn();

            awaitReady(allRegions());

            assertThat(table("us-east-1").tableArn()).isEqualTo(arn);
            assertThat(table("us-east-1").streamSpecification().streamEnabled()).isTrue();
            assertThat(aws.dynamo("us-east-1").getItem(b -> b.tableName("meet-sessions").key(Map.of(
                    "pk", AttributeValue.fromS("SESSION#existing"), "sk", AttributeValue.fromS("META")))).hasItem())
                    .isTrue();
            assertThat(aws.proxy.count("dynamodb:CreateTable")).isZero();
        }

        @Test
        void anIncompatibleTableBecomesAConditionAndNothingIsChanged() {
            aws.dynamo("us-east-1").createTable(b -> b.tableName("meet-sessions")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST"));
            RegionOperator home = operator("us-east-1");

            AwsReport report = home.reconcile();

            assertThat(report.sessionStoreReady().getStatus()).isEqualTo("False");
            assertThat(report.sessionStoreReady().getReason()).isEqualTo("Incompatible");
            assertThat(report.sessionStoreReady().getMessage()).contains("id (S, HASH)");
            assertThat(aws.proxy.actions()).filteredOn(a -> a.startsWith("dynamodb:")).noneMatch(AwsEmulatorIT::isWrite);
            assertThat(table("us-east-1").streamSpecification()).isNull();
        }

        @Test
        void outOfBandChangesAreRestored() {
            List<RegionOperator> regions = allRegions();
            awaitReady(regions);
            String euCheck = regions.get(1).last().dns().healthCheckId;

            aws.dynamo("us-east-1").updateContinuousBackups(b -> b.tableName("meet-sessions")
                    .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(false)));
            aws.dynamo("ap-southeast-2").updateTable(b -> b.tableName("meet-sessions").deletionProtectionEnabled(false));
            aws.dynamo("us-east-1").updateTable(b -> b.tableName("meet-sessions")
                    .replicaUpdates(u -> u.delete(d -> d.regionName("ap-southeast-2"))));
            ResourceRecordSet us = aws.records(zoneId, "media.example.com").stream()
                    .filter(r -> r.setIdentifier().equals("us-east-1")).findFirst().orElseThrow();
            aws.route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch
                    .action(ChangeAction.UPSERT).resourceRecordSet(us.toBuilder().ttl(3600L).weight(1L).build()))));
            aws.route53.deleteHealthCheck(b -> b.healthCheckId(euCheck));
            platform.getSpec().dns.healthCheck.path = "/ready";

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                regions.forEach(RegionOperator::reconcile);
                assertThat(aws.dynamo("us-east-1").describeContinuousBackups(b -> b.tableName("meet-sessions"))
                        .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus())
                        .isEqualTo(PointInTimeRecoveryStatus.ENABLED);
                assertThat(table("us-east-1").replicas()).extracting(ReplicaDescription::regionName, r -> r.replicaStatusAsString())
                        .contains(org.assertj.core.groups.Tuple.tuple("ap-southeast-2", "ACTIVE"));
                assertThat(aws.records(zoneId, "media.example.com")).filteredOn(r -> r.setIdentifier().equals("us-east-1"))
                        .singleElement().satisfies(r -> {
                            assertThat(r.ttl()).isEqualTo(30L);
                            assertThat(r.weight()).isEqualTo(100L);
                        });
                assertThat(aws.healthChecks()).hasSize(3).doesNotContainKey(euCheck);
                assertThat(regions).allMatch(r -> r.last().ready());
            });
            assertThat(aws.route53.listHealthChecks().healthChecks())
                    .allSatisfy(c -> assertThat(c.healthCheckConfig().resourcePath()).isEqualTo("/ready"));
            assertThat(aws.records(zoneId, "media.example.com")).hasSize(3)
                    .allSatisfy(r -> assertThat(aws.healthChecks()).containsKey(r.healthCheckId()));
        }

        @Test
        void deletionPolicyDeleteRemovesReplicasThenTheTable() {
            platform.getSpec().sessionStore.deletionPolicy = SessionStoreSpec.DeletionPolicy.Delete;
            List<RegionOperator> regions = allRegions();
            awaitReady(regions);

            for (RegionOperator region : regions.subList(1, 3)) {
                assertThat(region.cleanup().done()).isTrue();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> regions.get(0).cleanup().done());

            assertThat(REGIONS).noneMatch(AwsEmulatorIT.this::tableExists);
            assertThat(aws.records(zoneId)).isEmpty();
            assertThat(aws.healthChecks()).isEmpty();
        }

        /**
         * An operator that restarts without the status (a restore from a backup that predates it, a re-created
         * resource) finds its health checks through the records that point at them, reading each with its ownership
         * tags (GetHealthCheck, ListTagsForResource), instead of creating duplicates. (A new platform's operator knows
         * its health checks from their create and need not read them: this is where the policy's grant of those two
         * actions is used for certain.)
         */
        @Test
        void anOperatorThatLostItsStatusFindsItsHealthChecksInsteadOfCreatingMore() {
            awaitReady(allRegions());
            Map<String, Map<String, String>> checks = aws.healthChecks();
            assertThat(checks).hasSize(3);
            long checksRead = aws.proxy.count("route53:GetHealthCheck");
            long tagsRead = aws.proxy.count("route53:ListTagsForResource");
            operators.forEach(RegionOperator::close);
            operators.clear();

            List<RegionOperator> restarted = allRegions();
            awaitReady(restarted);

            assertThat(aws.healthChecks()).isEqualTo(checks);
            assertThat(restarted).extracting(r -> r.last().dns().healthCheckId)
                    .containsExactlyInAnyOrderElementsOf(checks.keySet());
            assertThat(aws.proxy.count("route53:GetHealthCheck")).isGreaterThan(checksRead);
            assertThat(aws.proxy.count("route53:ListTagsForResource")).isGreaterThan(tagsRead);
            assertThat(aws.proxy.count("route53:CreateHealthCheck")).isEqualTo(3);
        }

        @Test
        void recordsAndHealthChecksNotCreatedByTheOperatorAreNeverTouched() {
            ResourceRecordSet foreign = ResourceRecordSet.builder().name("media.example.com").type(RRType.A)
                    .setIdentifier("us-east-1").weight(7L).ttl(60L).resourceRecords(r -> r.value("198.51.100.7")).build();
            aws.route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch
                    .action(ChangeAction.CREATE).resourceRecordSet(foreign))));
            RegionOperator home = operator("us-east-1");

            AwsReport report = home.reconcile();
            assertThat(report.dnsReady().getReason()).isEqualTo("Conflict");
            assertThat(home.cleanup().done()).isTrue();

            assertThat(aws.records(zoneId, "media.example.com")).singleElement()
                    .satisfies(r -> assertThat(r.resourceRecords().get(0).value()).isEqualTo("198.51.100.7"));
            assertThat(aws.proxy.actions()).doesNotContain("route53:ChangeResourceRecordSets");
        }

        @Test
        void drainNeverRemovesTheLastHealthyRegionAndRestoreReturnsToTheSpec() {
            List<RegionOperator> regions = allRegions();
            awaitReady(regions);
            RegionOperator us = regions.get(0);

            RoutingResult euDrained = us.drain("eu-west-1", Set.of());
            assertThat(euDrained.applied()).isTrue();
            RoutingResult refused = us.drain("us-east-1", Set.of("ap-southeast-2"));
            assertThat(refused.applied()).isFalse();
            assertThat(refused.outcome().message()).contains("last healthy region");

            // The drained region's own operator keeps the override instead of restoring its spec weight.
            awaitReady(regions);
            assertThat(weight("eu-west-1")).isZero();
            assertThat(weight("us-east-1")).isEqualTo(100L);

            assertThat(us.restore("eu-west-1").applied()).isTrue();
            awaitReady(regions);
            assertThat(weight("eu-west-1")).isEqualTo(100L);
        }

        @Test
        void latencyRoutingTiesEachRegionsRecordToItsRegion() {
            platform.getSpec().dns.routingPolicy = DnsSpec.RoutingPolicy.Latency;
            awaitReady(allRegions());
            assertThat(aws.records(zoneId, "media.example.com"))
                    .allSatisfy(r -> assertThat(r.regionAsString()).isEqualTo(r.setIdentifier()));
        }

        private Long weight(String region) {
            return aws.records(zoneId, "media.example.com").stream().filter(r -> r.setIdentifier().equals(region))
                    .findFirst().orElseThrow().weight();
        }
    }

    @Nested
    @Order(2)
    class Faults {

        @Test
        void dynamoDbThrottlingIsRetriedBoundedlyReportedAsDegradedAndConvergesAfter() {
            aws.proxy.inject(Fault.dynamoDbThrottling());
            RegionOperator home = operator("us-east-1");

            AwsReport report = home.reconcile();

            assertThat(report.sessionStoreReady().getStatus()).isEqualTo("False");
            assertThat(report.sessionStoreReady().getReason()).isEqualTo("Throttled");
            assertThat(report.degraded().getStatus()).isEqualTo("True");
            assertThat(report.degraded().getReason()).isEqualTo("Throttled");
            assertThat(aws.proxy.count("dynamodb:DescribeTable")).isEqualTo(3); // maxAttempts, not more

            // A burst of reconciles (Kubernetes events) reaches AWS only when the backoff has run out,
            // and then with the same bounded attempts: no hot loop.
            long before = aws.proxy.count("dynamodb:DescribeTable");
            int checks = 0;
            for (int i = 0; i < 100; i++) {
                if (!home.reconcile().cached()) {
                    checks++;
                }
            }
            assertThat(checks).isLessThanOrEqualTo(2);
            assertThat(aws.proxy.count("dynamodb:DescribeTable") - before).isEqualTo(3L * checks);

            aws.proxy.clearFaults();
            awaitReady(List.of(home, operator("eu-west-1"), operator("ap-southeast-2")));
            assertThat(aws.dynamo("us-east-1").listTables().tableNames()).containsExactly("meet-sessions");
            assertThat(table("us-east-1").replicas()).hasSize(2);
        }

        @Test
        void aDeadEndpointOpensTheBreakerSoCallsFailFastThenRecovers() {
            aws.proxy.inject(Fault.serverError(503).onService(AwsService.DYNAMODB));
            RegionOperator home = operator("us-east-1");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                    home.reconcile().sessionStoreReady().getMessage().contains("circuit breaker"));
            assertThat(home.last().sessionStoreReady().getReason()).isEqualTo("Unavailable");
            assertThat(home.policy().state("dynamodb:us-east-1").name()).isEqualTo("OPEN");
            // Every call the breaker let through was bounded by the SDK's attempts.
            long describes = aws.proxy.count("dynamodb:DescribeTable");
            assertThat(describes % 3).isZero();
            assertThat(describes / 3).isLessThanOrEqualTo(4);

            aws.proxy.clearFaults();
            awaitReady(List.of(home));
        }

        @Test
        void route53ThrottlingAndPriorRequestNotCompleteAreReportedAndLeaveNoDuplicates() {
            aws.proxy.inject(Fault.route53PriorRequestNotComplete().onAction("route53:ChangeResourceRecordSets"));
            aws.proxy.inject(Fault.route53Throttling().onAction("route53:CreateHealthCheck").times(3));
            List<RegionOperator> regions = allRegions();

            AwsReport first = regions.get(0).reconcile();
            assertThat(first.dnsReady().getReason()).isEqualTo("Throttled");
            assertThat(first.degraded().getStatus()).isEqualTo("True");
            assertThat(aws.proxy.count("route53:CreateHealthCheck")).isEqualTo(3);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                regions.forEach(RegionOperator::reconcile);
                assertThat(regions).allSatisfy(r -> assertThat(r.last().dnsReady().getReason()).isEqualTo("Throttled"));
            });
            long changesWhileThrottled = aws.proxy.count("route53:ChangeResourceRecordSets");
            assertThat(changesWhileThrottled).isPositive();

            aws.proxy.clearFaults();
            awaitReady(regions);
            assertNoDuplicates();
        }

        @Test
        void lostResponsesAreRetriedWithoutDuplicates() {
            aws.proxy.inject(Fault.dropResponse().onAction("route53:CreateHealthCheck").times(1));
            aws.proxy.inject(Fault.dropResponse().onAction("route53:ChangeResourceRecordSets").times(1));
            aws.proxy.inject(Fault.dropResponse().onAction("dynamodb:UpdateTable").times(1));
            aws.proxy.inject(Fault.dropResponse().onAction("dynamodb:CreateTable").times(1));
            List<RegionOperator> regions = allRegions();

            awaitReady(regions);

            assertThat(aws.proxy.calls()).filteredOn(RecordedCall::faulted).hasSize(4);
            assertNoDuplicates();
        }

        @Test
        void latencyBeyondTheAttemptTimeoutAndDroppedConnectionsAreUnavailableUntilTheyEnd() {
            aws.proxy.inject(Fault.latency(Duration.ofSeconds(3)).onService(AwsService.ROUTE53));
            aws.proxy.inject(Fault.dropConnection().onService(AwsService.DYNAMODB));
            RegionOperator home = operator("us-east-1");

            AwsReport report = home.reconcile();
            assertThat(report.sessionStoreReady().getReason()).isEqualTo("Unavailable");
            assertThat(report.dnsReady().getReason()).isEqualTo("Unavailable");
            assertThat(aws.proxy.count("dynamodb:DescribeTable")).isEqualTo(3);
            assertThat(aws.proxy.count("route53:ListResourceRecordSets")).isLessThanOrEqualTo(3);

            aws.proxy.clearFaults();
            awaitReady(List.of(home));
            assertThat(aws.healthChecks()).hasSize(1);
        }

        @Test
        void accessDeniedAndAMissingHostedZoneAreReportedWithTheirReasonAndNotRetried() {
            aws.proxy.inject(Fault.error(AwsService.DYNAMODB, 400, "AccessDeniedException"));
            platform.getSpec().dns.hostedZoneId = "ZNOSUCHZONE0000000000";
            RegionOperator home = operator("us-east-1");

            AwsReport report = home.reconcile();

            assertThat(report.sessionStoreReady().getReason()).isEqualTo("AccessDenied");
            assertThat(report.sessionStoreReady().getMessage()).contains("DescribeTable").contains("AccessDeniedException");
            assertThat(report.dnsReady().getReason()).isEqualTo("NotFound");
            assertThat(report.dnsReady().getMessage()).contains("NoSuchHostedZone");
            assertThat(aws.proxy.count("dynamodb:DescribeTable")).isEqualTo(1);
            assertThat(aws.proxy.count("route53:ListResourceRecordSets")).isEqualTo(1);
            assertThat(home.policy().state("dynamodb:us-east-1").name()).isEqualTo("CLOSED");
        }

        private void assertNoDuplicates() {
            assertThat(aws.records(zoneId, "media.example.com")).extracting(ResourceRecordSet::setIdentifier)
                    .containsExactlyInAnyOrderElementsOf(REGIONS);
            assertThat(aws.records(zoneId, "_lifeline-owner.media.example.com")).hasSize(3);
            assertThat(aws.healthChecks()).hasSize(3);
            for (String region : REGIONS) {
                assertThat(aws.healthChecksOf(region)).hasSize(1);
            }
            assertThat(table("us-east-1").replicas()).extracting(ReplicaDescription::regionName)
                    .containsExactlyInAnyOrder("eu-west-1", "ap-southeast-2");
        }
    }

    /**
     * The packaged operator (its own JVM, configured only through LIFELINE_* and AWS_* environment
     * variables as in a cluster) against a real API server and the same moto behind the proxy: the
     * home region's operator reconciles samples/three-region.yaml into the global table with its
     * replicas and its region's record and health check, reports them in status, and on deletion
     * removes record and health check while the table stays (deletionPolicy Retain). Its calls,
     * heartbeats included, count for the least-privilege test.
     */
    @Nested
    @Order(3)
    class PackagedOperator {

        private ControlPlane plane;
        private OperatorProcess operator;

        @BeforeEach
        void start() {
            plane = ControlPlane.start("aws");
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            plane.createNamespace("rtc");
            operator = OperatorProcess.start("aws", plane.kubeconfig(), "us-east-1", Map.of(
                    "LIFELINE_DNS_PROVIDER", "route53",
                    "LIFELINE_SESSION_STORE_PROVIDER", "dynamodb",
                    "LIFELINE_AWS_ENDPOINT_OVERRIDE", aws.proxy.endpoint().toString(),
                    "LIFELINE_AWS_DRIFT_INTERVAL", "2s",
                    "LIFELINE_AWS_PENDING_POLL_INTERVAL", "300ms",
                    "AWS_ACCESS_KEY_ID", "lifeline-test",
                    "AWS_SECRET_ACCESS_KEY", "lifeline-test",
                    "AWS_EC2_METADATA_DISABLED", "true"));
        }

        @AfterEach
        void stop() {
            if (operator != null) {
                operator.close();
            }
            if (plane != null) {
                plane.close();
            }
        }

        @Test
        void threeRegionSampleBecomesTableReplicasRecordAndHealthCheckAndDeletionRetainsTheTable() {
            // No load-balancer controller here: give the home region an explicit endpoint.
            platform.getSpec().regions.get(0).endpoint = "192.0.2.10";
            plane.client().resource(platform).create();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(table("us-east-1").replicas())
                                .extracting(ReplicaDescription::regionName, r -> r.replicaStatusAsString())
                                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("eu-west-1", "ACTIVE"),
                                        org.assertj.core.groups.Tuple.tuple("ap-southeast-2", "ACTIVE"));
                        assertThat(aws.records(zoneId, "media.example.com")).singleElement().satisfies(record -> {
                            assertThat(record.setIdentifier()).isEqualTo("us-east-1");
                            assertThat(record.resourceRecords().get(0).value()).isEqualTo("192.0.2.10");
                            assertThat(aws.healthChecks().get(record.healthCheckId()))
                                    .containsEntry(DnsOwnership.OWNER_TAG, "rtc/meet");
                        });
                        RealtimePlatform seen = plane.client().resources(RealtimePlatform.class).inNamespace("rtc")
                                .withName("meet").get();
                        assertThat(seen.getStatus().conditions).filteredOn(c -> c.getType().equals("SessionStoreReady"))
                                .singleElement().extracting(Condition::getStatus).isEqualTo("True");
                        assertThat(seen.getStatus().conditions).filteredOn(c -> c.getType().equals("DnsReady"))
                                .singleElement().extracting(Condition::getStatus).isEqualTo("True");
                        assertThat(seen.getStatus().sessionStore.tableArn).contains("meet-sessions");
                        assertThat(seen.getStatus().dns.healthCheckId).isEqualTo(
                                aws.records(zoneId, "media.example.com").get(0).healthCheckId());
                    });
            assertThat(aws.healthChecks()).hasSize(1);

            plane.client().resource(platform).delete();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(plane.client().resources(RealtimePlatform.class).inNamespace("rtc").withName("meet").get())
                        .isNull();
                assertThat(aws.records(zoneId)).extracting(ResourceRecordSet::name)
                        .doesNotContain("media.example.com.", "_lifeline-owner.media.example.com.");
                assertThat(aws.healthChecks()).isEmpty();
            });
            assertThat(aws.dynamo("us-east-1").listTables().tableNames()).containsExactly("meet-sessions");
            assertThat(aws.dynamo("eu-west-1").listTables().tableNames()).containsExactly("meet-sessions");
        }
    }

    /** Runs last: every AWS permission the operator needed in the tests above, against deploy/iam-policy.json. */
    @Nested
    @Order(4)
    class LeastPrivilege {

        @Test
        void iamPolicyGrantsExactlyThePermissionsTheOperatorUsed() throws IOException {
            JsonNode policy = new ObjectMapper().readTree(RepoPaths.deploy().resolve("iam-policy.json").toFile());
            Set<String> granted = new TreeSet<>();
            for (JsonNode statement : policy.get("Statement")) {
                assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                JsonNode actions = statement.get("Action");
                if (actions.isArray()) {
                    actions.forEach(a -> granted.add(a.asText()));
                } else {
                    granted.add(actions.asText());
                }
            }
            Set<String> used = new TreeSet<>(PERMISSIONS_USED);
            used.removeIf(Predicate.not(a -> a.startsWith("dynamodb:") || a.startsWith("route53:") || a.startsWith("iam:")));
            assertThat(granted).as("wildcards hide what is granted").noneMatch(a -> a.contains("*"));

            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(granted);
            Set<String> unused = new TreeSet<>(granted);
            unused.removeAll(used);
            assertThat(missing).as("called by the operator but missing from deploy/iam-policy.json").isEmpty();
            assertThat(unused).as("granted by deploy/iam-policy.json but never called by the operator").isEmpty();
        }

        /**
         * Scoped to the platform's table and hosted zone: every call the operator made in the tests above
         * is allowed on the resource it was made on, and "*" is left only where IAM has no resource-level
         * permissions (creating and listing health checks, listing tags of several resources).
         */
        @Test
        void iamPolicyAllowsEveryCallOnItsResourceAndIsScopedWhereAwsAllows() {
            assertThat(CHECKED).as("the calls of the tests above, with their resources")
                    .anyMatch(p -> p.resource().contains(":table/meet-sessions"))
                    .anyMatch(p -> p.resource().startsWith("arn:aws:route53:::hostedzone/"))
                    .anyMatch(p -> p.resource().startsWith("arn:aws:route53:::healthcheck/"));
            assertThat(DENIED).as("needed by the operator, denied by deploy/iam-policy.json").isEmpty();

            RealtimePlatform sample = AwsHarness.sample(RepoPaths.samples().resolve("three-region.yaml"));
            IamPolicy policy = iamPolicyFor(sample);
            assertThat(policy.actionsOnAnyResource()).as("resource \"*\" only where IAM cannot scope the action")
                    .containsExactlyInAnyOrder("route53:CreateHealthCheck", "route53:ListHealthChecks",
                            "route53:ListTagsForResources");
            String account = FaultProxy.ACCOUNT;
            assertThat(policy.allows(new Permission("dynamodb:DescribeTable",
                    "arn:aws:dynamodb:eu-west-1:" + account + ":table/meet-sessions"))).isTrue();
            assertThat(policy.allows(new Permission("dynamodb:DeleteTable",
                    "arn:aws:dynamodb:eu-west-1:" + account + ":table/other-team-table"))).as("another table").isFalse();
            assertThat(policy.allows(new Permission("route53:ChangeResourceRecordSets",
                    "arn:aws:route53:::hostedzone/ZOTHERZONE00000000000"))).as("another zone").isFalse();
            assertThat(policy.allows(new Permission("dynamodb:DescribeTable",
                    "arn:aws:dynamodb:eu-west-1:999999999999:table/meet-sessions"))).as("another account").isFalse();
        }
    }
}
