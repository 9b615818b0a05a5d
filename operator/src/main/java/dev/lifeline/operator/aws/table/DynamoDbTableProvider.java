package dev.lifeline.operator.aws.table;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.sessiontable.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

/** The session table in DynamoDB, through the one AWS client policy. */
public final class DynamoDbTableProvider implements SessionTableProvider {

    private final AwsClients clients;
    private final AwsCallPolicy policy;

    public DynamoDbTableProvider(AwsClients clients, AwsCallPolicy policy) {
        this.clients = clients;
        this.policy = policy;
    }

    @Override
    public Optional<TableState> describe(String region, String tableName) {
        DynamoDbClient client = clients.dynamoDb(region);
        TableDescription table;
        try {
            table = call(region, "DescribeTable " + tableName,
                    () -> client.describeTable(b -> b.tableName(tableName)).table());
        } catch (AwsFailureException e) {
            if (e.reason() == AwsReason.NotFound) {
                return Optional.empty();
            }
            throw e;
        }
        String ttlAttribute = null;
        String ttlStatus = "DISABLED";
        boolean pitr = false;
        // TTL and backups of a table that is still being created or deleted are not settled yet.
        if (isSettled(table.tableStatusAsString())) {
            TimeToLiveDescription ttl = call(region, "DescribeTimeToLive " + tableName,
                    () -> client.describeTimeToLive(b -> b.tableName(tableName)).timeToLiveDescription());
            if (ttl != null) {
                ttlAttribute = ttl.attributeName();
                ttlStatus = ttl.timeToLiveStatusAsString() == null ? "DISABLED" : ttl.timeToLiveStatusAsString();
            }
            ContinuousBackupsDescription backups = call(region, "DescribeContinuousBackups " + tableName,
                    () -> client.describeContinuousBackups(b -> b.tableName(tableName)).continuousBackupsDescription());
            pitr = backups != null && backups.pointInTimeRecoveryDescription() != null
                    && backups.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus()
                            == PointInTimeRecoveryStatus.ENABLED;
        }
        return Optional.of(toState(region, table, ttlAttribute, ttlStatus, pitr));
    }

    private static boolean isSettled(String status) {
        return "ACTIVE".equals(status) || "UPDATING".equals(status);
    }

    static TableState toState(String region, TableDescription table, String ttlAttribute, String ttlStatus,
            boolean pitr) {
        Map<String, String> types = new LinkedHashMap<>();
        table.attributeDefinitions().forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
        List<TableState.KeyAttribute> key = new ArrayList<>();
        for (KeySchemaElement element : table.keySchema()) {
            key.add(new TableState.KeyAttribute(element.attributeName(), element.keyTypeAsString(),
                    types.get(element.attributeName())));
        }
        key.sort((a, b) -> a.keyType().compareTo(b.keyType()));
        String billing = table.billingModeSummary() == null || table.billingModeSummary().billingMode() == null
                ? DesiredTable.PROVISIONED // DynamoDB omits the summary for tables that were always provisioned.
                : table.billingModeSummary().billingModeAsString();
        Long rcu = null;
        Long wcu = null;
        if (DesiredTable.PROVISIONED.equals(billing) && table.provisionedThroughput() != null) {
            rcu = table.provisionedThroughput().readCapacityUnits();
            wcu = table.provisionedThroughput().writeCapacityUnits();
        }
        String streamViewType = table.streamSpecification() != null
                && Boolean.TRUE.equals(table.streamSpecification().streamEnabled())
                ? table.streamSpecification().streamViewTypeAsString() : null;
        Map<String, String> replicas = new LinkedHashMap<>();
        for (ReplicaDescription replica : table.replicas()) {
            if (!region.equals(replica.regionName())) {
                replicas.put(replica.regionName(), replica.replicaStatusAsString());
            }
        }
        return new TableState(table.tableName(), table.tableArn(), region, table.tableStatusAsString(), key, billing,
                rcu, wcu, streamViewType, ttlAttribute, ttlStatus, pitr,
                Boolean.TRUE.equals(table.deletionProtectionEnabled()), replicas);
    }

    @Override
    public void create(String region, DesiredTable desired) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(desired.name())
                .attributeDefinitions(DesiredTable.KEY.stream()
                        .map(k -> AttributeDefinition.builder().attributeName(k.name())
                                .attributeType(k.attributeType()).build())
                        .toList())
                .keySchema(DesiredTable.KEY.stream()
                        .map(k -> KeySchemaElement.builder().attributeName(k.name()).keyType(k.keyType()).build())
                        .toList())
                .billingMode(desired.billingMode())
                .streamSpecification(stream())
                .deletionProtectionEnabled(desired.deletionProtection());
        if (desired.provisioned()) {
            request.provisionedThroughput(p -> p.readCapacityUnits(desired.readCapacityUnits())
                    .writeCapacityUnits(desired.writeCapacityUnits()));
        }
        run(region, "CreateTable " + desired.name(), () -> clients.dynamoDb(region).createTable(request.build()));
    }

    private static StreamSpecification stream() {
        return StreamSpecification.builder().streamEnabled(true)
                .streamViewType(TableSchema.STREAM_VIEW_TYPE).build();
    }

    @Override
    public void apply(String region, String tableName, TableFix fix) {
        DynamoDbClient client = clients.dynamoDb(region);
        String what = fix.describe() + " on " + tableName;
        if (fix instanceof TableFix.SetBilling billing) {
            UpdateTableRequest.Builder request = UpdateTableRequest.builder().tableName(tableName)
                    .billingMode(BillingMode.fromValue(billing.billingMode()));
            if (billing.readCapacityUnits() != null) {
                request.provisionedThroughput(p -> p.readCapacityUnits(billing.readCapacityUnits())
                        .writeCapacityUnits(billing.writeCapacityUnits()));
            }
            run(region, "UpdateTable (" + what + ")", () -> client.updateTable(request.build()));
        } else if (fix instanceof TableFix.EnableStream) {
            run(region, "UpdateTable (" + what + ")",
                    () -> client.updateTable(b -> b.tableName(tableName).streamSpecification(stream())));
        } else if (fix instanceof TableFix.SetDeletionProtection protection) {
            run(region, "UpdateTable (" + what + ")", () -> client.updateTable(b -> b.tableName(tableName)
                    .deletionProtectionEnabled(protection.enabled())));
        } else if (fix instanceof TableFix.EnableTtl) {
            run(region, "UpdateTimeToLive (" + what + ")",
                    () -> client.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(
                            s -> s.enabled(true).attributeName(TableSchema.TTL_ATTRIBUTE))));
        } else if (fix instanceof TableFix.SetPointInTimeRecovery pitr) {
            run(region, "UpdateContinuousBackups (" + what + ")",
                    () -> client.updateContinuousBackups(b -> b.tableName(tableName)
                            .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(pitr.enabled()))));
        } else {
            throw new IllegalArgumentException("unknown fix " + fix);
        }
    }

    @Override
    public void addReplica(String region, String tableName, String replicaRegion) {
        run(region, "UpdateTable (add replica " + replicaRegion + " to " + tableName + ")",
                () -> clients.dynamoDb(region).updateTable(b -> b.tableName(tableName)
                        .replicaUpdates(u -> u.create(c -> c.regionName(replicaRegion)))));
    }

    @Override
    public void removeReplica(String region, String tableName, String replicaRegion) {
        run(region, "UpdateTable (delete replica " + replicaRegion + " of " + tableName + ")",
                () -> clients.dynamoDb(region).updateTable(b -> b.tableName(tableName)
                        .replicaUpdates(u -> u.delete(d -> d.regionName(replicaRegion)))));
    }

    @Override
    public void delete(String region, String tableName) {
        run(region, "DeleteTable " + tableName, () -> clients.dynamoDb(region).deleteTable(b -> b.tableName(tableName)));
    }

    private <T> T call(String region, String what, java.util.function.Supplier<T> call) {
        return policy.call(AwsCallPolicy.dynamoDb(region), "DynamoDB " + what + " in " + region, call);
    }

    private void run(String region, String what, Runnable call) {
        policy.run(AwsCallPolicy.dynamoDb(region), "DynamoDB " + what + " in " + region, call);
    }
}
