package dev.lifeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.table.SessionTableSchema;
import dev.lifeline.operator.policy.Phase;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Heartbeats as items of the session table, through the one AWS client policy (retries,
 * timeouts, circuit breaker). Items expire through the table's TTL once a region is gone.
 */
public final class DynamoDbCoordinationStore implements CoordinationStore {

    /** Heartbeat items outlive a silent region long enough for every peer to notice it. */
    static final Duration ITEM_LIFETIME = Duration.ofHours(1);

    private static final Logger LOG = Logger.getLogger(DynamoDbCoordinationStore.class);

    private final AwsClients clients;
    private final AwsCallPolicy policy;
    /** Items per Query page, or null for DynamoDB's own limit (1 MB); small in tests, to exercise paging. */
    private final Integer instancePageSize;
    /** The malformed items last logged per table and region, so that a bad item is logged once, not every interval. */
    private final Map<String, List<String>> loggedMalformed = new ConcurrentHashMap<>();

    public DynamoDbCoordinationStore(AwsClients clients, AwsCallPolicy policy) {
        this(clients, policy, null);
    }

    DynamoDbCoordinationStore(AwsClients clients, AwsCallPolicy policy, Integer instancePageSize) {
        this.clients = clients;
        this.policy = policy;
        this.instancePageSize = instancePageSize;
    }

    @Override
    public void publish(String tableName, String ownRegion, OperatorHeartbeat heartbeat) {
        Map<String, AttributeValue> item = HeartbeatItems.toItem(heartbeat, ITEM_LIFETIME);
        policy.run(AwsCallPolicy.dynamoDb(ownRegion), "PutItem heartbeat",
                () -> clients.dynamoDb(ownRegion).putItem(b -> b.tableName(tableName).item(item)));
    }

    @Override
    public Map<String, OperatorHeartbeat> read(String tableName, String ownRegion, Collection<String> regions) {
        List<Map<String, AttributeValue>> keys = regions.stream().map(HeartbeatItems::key).toList();
        BatchGetItemResponse response = policy.call(AwsCallPolicy.dynamoDb(ownRegion), "BatchGetItem heartbeats",
                () -> clients.dynamoDb(ownRegion).batchGetItem(b -> b.requestItems(
                        Map.of(tableName, KeysAndAttributes.builder().keys(keys).consistentRead(false).build()))));
        Map<String, OperatorHeartbeat> found = new HashMap<>();
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
            HeartbeatItems.fromItem(item).ifPresent(h -> found.put(h.region(), h));
        }
        return found;
    }

    @Override
    public InstanceHeartbeatRead readInstances(String tableName, String ownRegion) {
        List<InstanceHeartbeat> heartbeats = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Map<String, AttributeValue> startAfter = null;
        do {
            QueryResponse page = queryInstances(tableName, ownRegion, startAfter);
            for (Map<String, AttributeValue> item : page.items()) {
                try {
                    heartbeats.add(InstanceHeartbeatItems.fromItem(item));
                } catch (RuntimeException e) {
                    malformed.add(InstanceHeartbeatItems.describe(item) + ": " + e.getMessage());
                }
            }
            startAfter = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                    : null;
        } while (startAfter != null);
        logIfNew(tableName, ownRegion, malformed);
        return new InstanceHeartbeatRead(heartbeats, malformed);
    }

    /** One page; each page is its own call so that a retry repeats one page, not the whole read. */
    private QueryResponse queryInstances(String tableName, String ownRegion, Map<String, AttributeValue> startAfter) {
        return policy.call(AwsCallPolicy.dynamoDb(ownRegion), "Query instance heartbeats",
                () -> clients.dynamoDb(ownRegion).query(b -> b.tableName(tableName)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", SessionTableSchema.PARTITION_KEY))
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS(SessionTableSchema.instancePk(ownRegion))))
                        .consistentRead(false)
                        .limit(instancePageSize)
                        .exclusiveStartKey(startAfter)));
    }

    private void logIfNew(String tableName, String ownRegion, List<String> malformed) {
        List<String> before = loggedMalformed.put(tableName + "/" + ownRegion, malformed);
        if (!malformed.isEmpty() && !malformed.equals(before)) {
            LOG.warnf("Skipping %d malformed instance heartbeat item(s) under %s in table %s: %s", malformed.size(),
                    SessionTableSchema.instancePk(ownRegion), tableName, malformed);
        }
    }

    /** The item layout of a heartbeat (documented in docs/session-table.md). */
    static final class HeartbeatItems {

        private HeartbeatItems() {
        }

        static Map<String, AttributeValue> key(String region) {
            return Map.of(SessionTableSchema.PARTITION_KEY, AttributeValue.fromS(SessionTableSchema.regionPk(region)),
                    SessionTableSchema.SORT_KEY, AttributeValue.fromS(SessionTableSchema.HEARTBEAT_SK));
        }

        static Map<String, AttributeValue> toItem(OperatorHeartbeat heartbeat, Duration lifetime) {
            Map<String, AttributeValue> item = new HashMap<>(key(heartbeat.region()));
            item.put("region", AttributeValue.fromS(heartbeat.region()));
            item.put("updatedAt", AttributeValue.fromN(Long.toString(heartbeat.at().toEpochMilli())));
            item.put("phase", AttributeValue.fromS(heartbeat.phase().statusName()));
            if (heartbeat.activeSessions() != null) {
                item.put("sessions", AttributeValue.fromN(heartbeat.activeSessions().toString()));
            }
            if (heartbeat.capacity() != null) {
                item.put("capacity", AttributeValue.fromN(heartbeat.capacity().toString()));
            }
            Map<String, AttributeValue> peers = new HashMap<>();
            heartbeat.peerView().forEach((peer, seen) -> peers.put(peer, AttributeValue.fromN(Long.toString(seen.toEpochMilli()))));
            item.put("peers", AttributeValue.fromM(peers));
            item.put(SessionTableSchema.TTL_ATTRIBUTE,
                    AttributeValue.fromN(Long.toString(heartbeat.at().plus(lifetime).getEpochSecond())));
            return item;
        }

        /** Malformed items (written by something else) are skipped, never fatal. */
        static java.util.Optional<OperatorHeartbeat> fromItem(Map<String, AttributeValue> item) {
            try {
                Map<String, Instant> peers = new HashMap<>();
                if (item.containsKey("peers")) {
                    item.get("peers").m().forEach((k, v) -> peers.put(k, Instant.ofEpochMilli(Long.parseLong(v.n()))));
                }
                return java.util.Optional.of(new OperatorHeartbeat(item.get("region").s(),
                        Instant.ofEpochMilli(Long.parseLong(item.get("updatedAt").n())),
                        Phase.fromStatusName(item.get("phase").s()),
                        item.containsKey("sessions") ? Long.valueOf(item.get("sessions").n()) : null,
                        item.containsKey("capacity") ? Long.valueOf(item.get("capacity").n()) : null, peers));
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
