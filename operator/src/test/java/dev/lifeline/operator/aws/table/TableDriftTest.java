package dev.lifeline.operator.aws.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.sessiontable.TableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableDriftTest {

    private static final DesiredTable DESIRED = new DesiredTable("t", DesiredTable.PAY_PER_REQUEST, null, null, true, true);

    @Test
    void noFixesForATableAsSpecified() {
        assertThat(TableDrift.fixes(DESIRED, ReplicaPlanTest.table("ACTIVE", Map.of()), true)).isEmpty();
    }

    @Test
    void homeRegionRestoresTableWideAndReplicaLocalSettings() {
        TableState drifted = new TableState("t", "arn", "us-east-1", "ACTIVE", DesiredTable.KEY, DesiredTable.PROVISIONED,
                5L, 5L, null, null, "DISABLED", false, false, Map.of());

        assertThat(TableDrift.fixes(DESIRED, drifted, true)).containsExactly(
                new TableFix.SetBilling(DesiredTable.PAY_PER_REQUEST, null, null), new TableFix.EnableStream(),
                new TableFix.EnableTtl(), new TableFix.SetPointInTimeRecovery(true),
                new TableFix.SetDeletionProtection(true));
    }

    @Test
    void otherRegionsOnlyKeepReplicaLocalSettings() {
        TableState drifted = new TableState("t", "arn", "eu-west-1", "ACTIVE", DesiredTable.KEY, DesiredTable.PROVISIONED,
                5L, 5L, null, null, "DISABLED", false, false, Map.of());

        assertThat(TableDrift.fixes(DESIRED, drifted, false)).containsExactly(new TableFix.EnableTtl(),
                new TableFix.SetPointInTimeRecovery(true), new TableFix.SetDeletionProtection(true));
    }

    @Test
    void provisionedCapacityIsPartOfBilling() {
        DesiredTable provisioned = new DesiredTable("t", DesiredTable.PROVISIONED, 10L, 5L, true, true);
        TableState table = new TableState("t", "arn", "us-east-1", "ACTIVE", DesiredTable.KEY, DesiredTable.PROVISIONED,
                10L, 1L, TableSchema.STREAM_VIEW_TYPE, TableSchema.TTL_ATTRIBUTE, "ENABLED", true, true,
                Map.of());
        assertThat(TableDrift.fixes(provisioned, table, true))
                .containsExactly(new TableFix.SetBilling(DesiredTable.PROVISIONED, 10L, 5L));
    }

    @Test
    void incompatibleTablesAreNamedWithWhatIsWrong() {
        TableState hashOnly = new TableState("t", "arn", "us-east-1", "ACTIVE",
                List.of(new TableState.KeyAttribute("id", "HASH", "S")), DesiredTable.PAY_PER_REQUEST, null, null, null,
                null, "DISABLED", false, false, Map.of());
        assertThat(TableCompatibility.problem(hashOnly)).hasValueSatisfying(m -> assertThat(m)
                .contains("id (S, HASH)").contains("pk (S, HASH) + sk (S, RANGE)"));

        TableState keysOnlyStream = new TableState("t", "arn", "us-east-1", "ACTIVE", DesiredTable.KEY,
                DesiredTable.PAY_PER_REQUEST, null, null, "KEYS_ONLY", null, "DISABLED", false, false, Map.of());
        assertThat(TableCompatibility.problem(keysOnlyStream)).hasValueSatisfying(m -> assertThat(m).contains("KEYS_ONLY"));

        TableState otherTtl = new TableState("t", "arn", "us-east-1", "ACTIVE", DesiredTable.KEY,
                DesiredTable.PAY_PER_REQUEST, null, null, null, "ttl", "ENABLED", false, false, Map.of());
        assertThat(TableCompatibility.problem(otherTtl)).hasValueSatisfying(m -> assertThat(m).contains("ttl"));

        assertThat(TableCompatibility.problem(ReplicaPlanTest.table("ACTIVE", Map.of()))).isEmpty();
    }
}
