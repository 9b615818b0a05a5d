package dev.lifeline.operator.aws.table;

import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsProblem;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.sessiontable.TableSchema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The session table kept in memory, for a local run without AWS
 * ({@code lifeline.session-store.provider=inmemory}). Behaves like DynamoDB as far as the
 * operator can tell, except that every change is ACTIVE at once. Items are not stored: the
 * operator only manages the table.
 */
public final class InMemoryTableProvider implements SessionTableProvider {

    /** region -> table name -> state. */
    private final Map<String, Map<String, TableState>> tables = new HashMap<>();

    @Override
    public synchronized Optional<TableState> describe(String region, String tableName) {
        return Optional.ofNullable(tables.getOrDefault(region, Map.of()).get(tableName));
    }

    @Override
    public synchronized void create(String region, DesiredTable desired) {
        if (describe(region, desired.name()).isPresent()) {
            throw conflict("Table already exists: " + desired.name());
        }
        put(new TableState(desired.name(), arn(region, desired.name()), region, TableState.ACTIVE, DesiredTable.KEY,
                desired.billingMode(), desired.readCapacityUnits(), desired.writeCapacityUnits(),
                TableSchema.STREAM_VIEW_TYPE, null, "DISABLED", false, desired.deletionProtection(), Map.of()));
    }

    /** Puts a table as it is, for tests and for adopting pre-existing tables in a local run. */
    public synchronized void put(TableState table) {
        tables.computeIfAbsent(table.region(), r -> new LinkedHashMap<>()).put(table.name(), table);
    }

    @Override
    public synchronized void apply(String region, String tableName, TableFix fix) {
        TableState t = require(region, tableName);
        TableState changed;
        if (fix instanceof TableFix.SetBilling b) {
            changed = new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), b.billingMode(),
                    b.readCapacityUnits(), b.writeCapacityUnits(), t.streamViewType(), t.ttlAttribute(), t.ttlStatus(),
                    t.pointInTimeRecovery(), t.deletionProtection(), t.replicas());
        } else if (fix instanceof TableFix.EnableStream) {
            changed = new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), t.billingMode(),
                    t.readCapacityUnits(), t.writeCapacityUnits(), TableSchema.STREAM_VIEW_TYPE,
                    t.ttlAttribute(), t.ttlStatus(), t.pointInTimeRecovery(), t.deletionProtection(), t.replicas());
        } else if (fix instanceof TableFix.EnableTtl) {
            changed = new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), t.billingMode(),
                    t.readCapacityUnits(), t.writeCapacityUnits(), t.streamViewType(),
                    TableSchema.TTL_ATTRIBUTE, "ENABLED", t.pointInTimeRecovery(), t.deletionProtection(),
                    t.replicas());
        } else if (fix instanceof TableFix.SetPointInTimeRecovery p) {
            changed = new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), t.billingMode(),
                    t.readCapacityUnits(), t.writeCapacityUnits(), t.streamViewType(), t.ttlAttribute(),
                    t.ttlStatus(), p.enabled(), t.deletionProtection(), t.replicas());
        } else if (fix instanceof TableFix.SetDeletionProtection d) {
            changed = new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), t.billingMode(),
                    t.readCapacityUnits(), t.writeCapacityUnits(), t.streamViewType(), t.ttlAttribute(),
                    t.ttlStatus(), t.pointInTimeRecovery(), d.enabled(), t.replicas());
        } else {
            throw new IllegalArgumentException("unknown fix " + fix);
        }
        put(changed);
    }

    @Override
    public synchronized void addReplica(String region, String tableName, String replicaRegion) {
        TableState home = require(region, tableName);
        if (!home.streamEnabled()) {
            throw invalid("streams NEW_AND_OLD_IMAGES are required to add replicas");
        }
        if (home.replicas().containsKey(replicaRegion) || describe(replicaRegion, tableName).isPresent()) {
            throw invalid("a table " + tableName + " already exists in " + replicaRegion);
        }
        Map<String, String> group = new LinkedHashMap<>(home.replicas());
        group.put(region, TableState.ACTIVE);
        group.put(replicaRegion, TableState.ACTIVE);
        put(new TableState(tableName, arn(replicaRegion, tableName), replicaRegion, TableState.ACTIVE, home.key(),
                home.billingMode(), home.readCapacityUnits(), home.writeCapacityUnits(), home.streamViewType(),
                null, "DISABLED", false, false, Map.of()));
        regroup(tableName, group);
    }

    @Override
    public synchronized void removeReplica(String region, String tableName, String replicaRegion) {
        TableState home = require(region, tableName);
        if (!home.replicas().containsKey(replicaRegion)) {
            throw invalid("no replica of " + tableName + " in " + replicaRegion);
        }
        if (require(replicaRegion, tableName).deletionProtection()) {
            throw invalid("replica in " + replicaRegion + " has deletion protection enabled");
        }
        Map<String, String> group = new LinkedHashMap<>(home.replicas());
        group.put(region, TableState.ACTIVE);
        group.remove(replicaRegion);
        tables.get(replicaRegion).remove(tableName);
        regroup(tableName, group);
    }

    @Override
    public synchronized void delete(String region, String tableName) {
        TableState table = require(region, tableName);
        if (table.deletionProtection()) {
            throw invalid("table " + tableName + " has deletion protection enabled");
        }
        tables.get(region).remove(tableName);
        Map<String, String> group = new LinkedHashMap<>(table.replicas());
        regroup(tableName, group);
    }

    /** Makes every member of a replica group list the others. */
    private void regroup(String tableName, Map<String, String> group) {
        for (String member : group.keySet()) {
            describe(member, tableName).ifPresent(t -> {
                Map<String, String> others = new LinkedHashMap<>(group);
                others.remove(member);
                put(new TableState(t.name(), t.arn(), t.region(), t.status(), t.key(), t.billingMode(),
                        t.readCapacityUnits(), t.writeCapacityUnits(), t.streamViewType(), t.ttlAttribute(),
                        t.ttlStatus(), t.pointInTimeRecovery(), t.deletionProtection(), others));
            });
        }
    }

    private TableState require(String region, String tableName) {
        return describe(region, tableName).orElseThrow(() -> new AwsFailureException(
                new AwsProblem(AwsReason.NotFound, "table " + tableName + " not found in " + region), "ResourceNotFoundException"));
    }

    private static String arn(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":000000000000:table/" + name;
    }

    private static AwsFailureException invalid(String message) {
        return new AwsFailureException(new AwsProblem(AwsReason.Invalid, message), "ValidationException");
    }

    private static AwsFailureException conflict(String message) {
        return new AwsFailureException(new AwsProblem(AwsReason.Conflict, message), "ResourceInUseException");
    }
}
