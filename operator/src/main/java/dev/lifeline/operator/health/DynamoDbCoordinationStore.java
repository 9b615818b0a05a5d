package dev.lifeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.aws.AwsCallPolicy;
import dev.lifeline.operator.aws.AwsClients;
import dev.lifeline.operator.aws.SessionTableSchema;
import dev.lifeline.operator.policy.Phase;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Heartbeats as items of the session table, through the one AWS client policy (retries,
 * timeouts, circuit breaker). Items expire through the table's TTL once a region is gone.
 */
public final class DynamoDbCoordinationStore implements CoordinationStore {

    /** Heartbeat items outlive a silent region long enough for every peer to notice it. */
    static final Duration ITEM_LIFETIME = Duration.ofHours(1);

    private final AwsClients clients;
    private final AwsCallPolicy policy;

    public DynamoDbCoordinationStore(AwsClients clients, AwsCallPolicy policy) {
        this.clients = clients;
        this.policy = policy;
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
