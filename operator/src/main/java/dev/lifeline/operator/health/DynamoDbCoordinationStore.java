package dev.lifeline.operator.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.MalformedItemException;
import dev.lifeline.sessiontable.RegionHeartbeat;
import dev.lifeline.sessiontable.RegionHeartbeatCodec;
import dev.lifeline.sessiontable.TableSchema;
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
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startAfter = null;
        do {
            QueryResponse page = queryInstances(tableName, ownRegion, startAfter);
            items.addAll(page.items());
            startAfter = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                    : null;
        } while (startAfter != null);
        InstanceHeartbeatRead read = InstanceHeartbeatRead.fromItems(items);
        logIfNew(tableName, ownRegion, read.malformed());
        return read;
    }

    /** One page; each page is its own call so that a retry repeats one page, not the whole read. */
    private QueryResponse queryInstances(String tableName, String ownRegion, Map<String, AttributeValue> startAfter) {
        return policy.call(AwsCallPolicy.dynamoDb(ownRegion), "Query instance heartbeats",
                () -> clients.dynamoDb(ownRegion).query(b -> b.tableName(tableName)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", TableSchema.PARTITION_KEY))
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS(ItemKeys.instancePk(ownRegion))))
                        .consistentRead(false)
                        .limit(instancePageSize)
                        .exclusiveStartKey(startAfter)));
    }

    private void logIfNew(String tableName, String ownRegion, List<String> malformed) {
        List<String> before = loggedMalformed.put(tableName + "/" + ownRegion, malformed);
        if (!malformed.isEmpty() && !malformed.equals(before)) {
            LOG.warnf("Skipping %d malformed instance heartbeat item(s) under %s in table %s: %s", malformed.size(),
                    ItemKeys.instancePk(ownRegion), tableName, malformed);
        }
    }

    /** An {@link OperatorHeartbeat} as the session table's {@link RegionHeartbeat} item; the phase goes by its status name. */
    static final class HeartbeatItems {

        private HeartbeatItems() {
        }

        static Map<String, AttributeValue> key(String region) {
            return ItemKeys.regionHeartbeatKey(region);
        }

        static Map<String, AttributeValue> toItem(OperatorHeartbeat heartbeat, Duration lifetime) {
            return RegionHeartbeatCodec.encode(new RegionHeartbeat(heartbeat.region(), heartbeat.at(),
                    heartbeat.phase().statusName(), heartbeat.activeSessions(), heartbeat.capacity(),
                    heartbeat.peerView(), heartbeat.suspects()), lifetime);
        }

        /** Malformed items (written by something else) are skipped, never fatal. */
        static Optional<OperatorHeartbeat> fromItem(Map<String, AttributeValue> item) {
            try {
                RegionHeartbeat h = RegionHeartbeatCodec.decode(item);
                return Optional.of(new OperatorHeartbeat(h.region(), h.updatedAt(), Phase.fromStatusName(h.phase()),
                        h.sessions(), h.capacity(), h.peers(), h.suspects()));
            } catch (MalformedItemException e) {
                return Optional.empty();
            }
        }
    }
}
