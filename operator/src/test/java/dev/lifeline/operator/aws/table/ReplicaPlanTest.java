package dev.lifeline.operator.aws.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.sessiontable.TableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaPlanTest {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");

    @Test
    void addsMissingRegionsOneAtATimeInSpecOrder() {
        assertThat(ReplicaPlan.next(REGIONS, table("ACTIVE", Map.of()), false))
                .isEqualTo(new ReplicaStep.Create("eu-west-1"));
        assertThat(ReplicaPlan.next(REGIONS, table("ACTIVE", Map.of("eu-west-1", "ACTIVE")), false))
                .isEqualTo(new ReplicaStep.Create("ap-south-1"));
    }

    @Test
    void waitsWhileTheTableOrAReplicaIsChanging() {
        assertThat(ReplicaPlan.next(REGIONS, table("UPDATING", Map.of()), false)).isInstanceOf(ReplicaStep.Wait.class);
        assertThat(ReplicaPlan.next(REGIONS, table("ACTIVE", Map.of("eu-west-1", "CREATING")), false))
                .isEqualTo(new ReplicaStep.Wait("replica in eu-west-1 is CREATING"));
    }

    @Test
    void keepsReplicasOfRemovedRegionsUnlessDeletionPolicyIsDelete() {
        TableState withExtra = table("ACTIVE", Map.of("eu-west-1", "ACTIVE", "ap-south-1", "ACTIVE", "sa-east-1", "ACTIVE"));
        assertThat(ReplicaPlan.next(REGIONS, withExtra, false)).isEqualTo(new ReplicaStep.InSync(List.of("sa-east-1")));
        assertThat(ReplicaPlan.next(REGIONS, withExtra, true)).isEqualTo(new ReplicaStep.Delete("sa-east-1"));
    }

    @Test
    void inSyncWhenEveryRegionHasAnActiveReplica() {
        assertThat(ReplicaPlan.next(REGIONS, table("ACTIVE", Map.of("eu-west-1", "ACTIVE", "ap-south-1", "ACTIVE")), true))
                .isEqualTo(new ReplicaStep.InSync(List.of()));
    }

    static TableState table(String status, Map<String, String> replicas) {
        return new TableState("t", "arn", "us-east-1", status, DesiredTable.KEY, DesiredTable.PAY_PER_REQUEST, null, null,
                TableSchema.STREAM_VIEW_TYPE, TableSchema.TTL_ATTRIBUTE, "ENABLED", true, true, replicas);
    }
}
