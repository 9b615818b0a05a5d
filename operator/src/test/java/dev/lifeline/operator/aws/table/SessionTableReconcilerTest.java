package dev.lifeline.operator.aws.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.SessionStoreSpec;
import dev.lifeline.operator.aws.TestPlatforms;
import dev.lifeline.operator.aws.call.AwsReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Session table logic against the in-memory provider (replicas ACTIVE at once). */
class SessionTableReconcilerTest {

    private final InMemoryTableProvider provider = new InMemoryTableProvider();
    private final SessionTableReconciler tables = new SessionTableReconciler(provider);
    private final RealtimePlatform platform = TestPlatforms.threeRegions();

    @Test
    void homeRegionCreatesTheTableThenAddsReplicasOneAtATime() {
        SessionTableReconciler.Result first = reconcile("us-east-1");
        assertThat(first.outcome().message()).contains("table settings changed in us-east-1: enable TTL on expiresAt");
        TableState created = provider.describe("us-east-1", "meet-sessions").orElseThrow();
        assertThat(created.key()).isEqualTo(DesiredTable.KEY);
        assertThat(created.streamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(created.ttlAttribute()).isEqualTo("expiresAt");
        assertThat(created.pointInTimeRecovery()).isTrue();
        assertThat(created.deletionProtection()).isTrue();

        assertThat(reconcile("us-east-1").outcome().message()).isEqualTo("adding replica in eu-west-1");
        assertThat(provider.describe("us-east-1", "meet-sessions").orElseThrow().replicas()).containsOnlyKeys("eu-west-1");
        assertThat(reconcile("us-east-1").outcome().message()).isEqualTo("adding replica in ap-south-1");
        SessionTableReconciler.Result ready = reconcile("us-east-1");

        assertThat(ready.outcome().reason()).isEqualTo(AwsReason.Ready);
        assertThat(ready.status().replicas).extracting(r -> r.region + "=" + r.status)
                .containsExactly("ap-south-1=ACTIVE", "eu-west-1=ACTIVE", "us-east-1=ACTIVE");
    }

    @Test
    void otherRegionsWaitForTheHomeRegionThenKeepTheirReplicasSettings() {
        assertThat(reconcile("eu-west-1").outcome().reason()).isEqualTo(AwsReason.Pending);
        assertThat(provider.describe("eu-west-1", "meet-sessions")).isEmpty();

        converge("us-east-1");
        assertThat(provider.describe("eu-west-1", "meet-sessions").orElseThrow().pointInTimeRecovery()).isFalse();

        assertThat(reconcile("eu-west-1").outcome().reason()).isEqualTo(AwsReason.Pending);
        SessionTableReconciler.Result ready = reconcile("eu-west-1");
        assertThat(ready.outcome().reason()).isEqualTo(AwsReason.Ready);
        TableState replica = provider.describe("eu-west-1", "meet-sessions").orElseThrow();
        assertThat(replica.pointInTimeRecovery()).isTrue();
        assertThat(replica.ttlOn()).isTrue();
    }

    @Test
    void adoptsACompatibleTableWithoutRecreatingIt() {
        provider.put(new TableState("meet-sessions", "arn:existing", "us-east-1", "ACTIVE", DesiredTable.KEY,
                DesiredTable.PAY_PER_REQUEST, null, null, null, null, "DISABLED", false, false, Map.of()));

        converge("us-east-1");

        TableState adopted = provider.describe("us-east-1", "meet-sessions").orElseThrow();
        assertThat(adopted.arn()).isEqualTo("arn:existing");
        assertThat(adopted.streamEnabled()).isTrue();
        assertThat(adopted.replicas()).containsOnlyKeys("eu-west-1", "ap-south-1");
    }

    @Test
    void anIncompatibleTableIsReportedAndLeftAlone() {
        TableState foreign = new TableState("meet-sessions", "arn:foreign", "us-east-1", "ACTIVE",
                List.of(new TableState.KeyAttribute("id", "HASH", "S")), DesiredTable.PAY_PER_REQUEST, null, null, null,
                null, "DISABLED", false, false, Map.of());
        provider.put(foreign);

        SessionTableReconciler.Result result = reconcile("us-east-1");

        assertThat(result.outcome().reason()).isEqualTo(AwsReason.Incompatible);
        assertThat(result.status().tableArn).isEqualTo("arn:foreign");
        assertThat(provider.describe("us-east-1", "meet-sessions")).hasValue(foreign);
    }

    @Test
    void removedRegionsKeepTheirReplicaUnlessDeletionPolicyIsDelete() {
        converge("us-east-1");
        platform.getSpec().regions.removeIf(r -> r.name.equals("ap-south-1"));

        SessionTableReconciler.Result retained = reconcile("us-east-1");
        assertThat(retained.outcome().reason()).isEqualTo(AwsReason.Ready);
        assertThat(retained.outcome().message()).contains("[ap-south-1] retained");
        assertThat(provider.describe("ap-south-1", "meet-sessions")).isPresent();

        platform.getSpec().sessionStore.deletionPolicy = SessionStoreSpec.DeletionPolicy.Delete;
        converge("us-east-1");
        assertThat(provider.describe("ap-south-1", "meet-sessions")).isEmpty();
        assertThat(provider.describe("us-east-1", "meet-sessions").orElseThrow().replicas()).containsOnlyKeys("eu-west-1");
    }

    @Test
    void cleanupRetainsByDefaultAndDeletesReplicasThenTableOnDelete() {
        converge("us-east-1");
        converge("eu-west-1");

        assertThat(tables.cleanup(platform.getSpec(), "us-east-1").done()).isTrue();
        assertThat(provider.describe("us-east-1", "meet-sessions")).isPresent();

        platform.getSpec().sessionStore.deletionPolicy = SessionStoreSpec.DeletionPolicy.Delete;
        assertThat(tables.cleanup(platform.getSpec(), "eu-west-1").done()).isTrue();
        int steps = 0;
        while (!tables.cleanup(platform.getSpec(), "us-east-1").done()) {
            assertThat(++steps).isLessThan(10);
        }
        assertThat(provider.describe("us-east-1", "meet-sessions")).isEmpty();
        assertThat(provider.describe("eu-west-1", "meet-sessions")).isEmpty();
        assertThat(provider.describe("ap-south-1", "meet-sessions")).isEmpty();
    }

    private SessionTableReconciler.Result reconcile(String region) {
        return tables.reconcile(platform.getSpec(), region);
    }

    private void converge(String region) {
        for (int pass = 0; pass < 10; pass++) {
            if (reconcile(region).outcome().isReady()) {
                return;
            }
        }
        throw new AssertionError("did not converge: " + reconcile(region).outcome());
    }
}
