package dev.lifeline.operator.aws.table;

import dev.lifeline.operator.api.SessionStoreSpec;
import dev.lifeline.sessiontable.TableSchema;
import java.util.List;

/** The session table the spec asks for. Pure; key schema, stream and TTL are fixed by the design. */
public record DesiredTable(String name, String billingMode, Long readCapacityUnits, Long writeCapacityUnits,
        boolean pointInTimeRecovery, boolean deletionProtection) {

    public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";
    public static final String PROVISIONED = "PROVISIONED";

    public static final List<TableState.KeyAttribute> KEY = List.of(
            new TableState.KeyAttribute(TableSchema.PARTITION_KEY, "HASH", "S"),
            new TableState.KeyAttribute(TableSchema.SORT_KEY, "RANGE", "S"));

    public static DesiredTable from(SessionStoreSpec spec) {
        boolean provisioned = spec.billingMode == SessionStoreSpec.BillingMode.Provisioned;
        return new DesiredTable(spec.tableName,
                provisioned ? PROVISIONED : PAY_PER_REQUEST,
                provisioned ? spec.readCapacityUnits : null,
                provisioned ? spec.writeCapacityUnits : null,
                spec.pointInTimeRecovery,
                spec.deletionProtection);
    }

    public boolean provisioned() {
        return PROVISIONED.equals(billingMode);
    }
}
