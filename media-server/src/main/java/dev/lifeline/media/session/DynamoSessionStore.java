package dev.lifeline.media.session;

import static dev.lifeline.media.session.TableNames.*;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** {@link SessionStore} and {@link InstanceDirectory} on the shared DynamoDB table. */
public final class DynamoSessionStore implements SessionStore, InstanceDirectory, NonceRegistry {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String region;
    private final Duration sessionTtl;
    private final Duration heartbeatTtl;
    private final Clock clock;

    public DynamoSessionStore(DynamoDbClient dynamo, String table, String region, Duration sessionTtl,
                              Duration heartbeatTtl, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.region = region;
        this.sessionTtl = sessionTtl;
        this.heartbeatTtl = heartbeatTtl;
        this.clock = clock;
    }

    @Override
    public Optional<SessionRecord> find(String sessionId) {
        // Consistent read: a relay change must be seen by the very next resume, wherever it lands.
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(sessionKeyOf(sessionId)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(toSession(response.item())) : Optional.empty();
    }

    @Override
    public SessionRecord create(String sessionId, String relayId, String relayAddress, String participantId)
            throws StaleEpochException {
        long now = clock.millis();
        Map<String, AttributeValue> item = new HashMap<>(sessionKeyOf(sessionId));
        item.put(EPOCH, n(1));
        item.put(RELAY_ID, s(relayId));
        item.put(RELAY_ADDRESS, s(relayAddress));
        item.put(REGION, s(region));
        item.put(PARTICIPANTS, AttributeValue.fromSs(List.of(participantId)));
        item.put(CREATED_AT, n(now));
        item.put(EXPIRES_AT, n(sessionExpiry(now)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleEpochException(sessionId);
        }
        return toSession(item);
    }

    @Override
    public SessionRecord reassign(SessionRecord current, String relayId, String relayAddress) throws StaleEpochException {
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table)
                    .key(sessionKeyOf(current.sessionId()))
                    .updateExpression("SET #epoch = :next, #relayId = :relayId, #relayAddress = :relayAddress, "
                            + "#region = :region, #expiresAt = :expiresAt")
                    // The shared fencing rule: a new item, or the epoch the writer read.
                    .conditionExpression("attribute_not_exists(pk) OR #epoch = :expected")
                    .expressionAttributeNames(Map.of("#epoch", EPOCH, "#relayId", RELAY_ID,
                            "#relayAddress", RELAY_ADDRESS, "#region", REGION, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":next", n(current.epoch() + 1), ":expected", n(current.epoch()),
                            ":relayId", s(relayId), ":relayAddress", s(relayAddress), ":region", s(region),
                            ":expiresAt", n(sessionExpiry(clock.millis()))))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return toSession(updated);
        } catch (ConditionalCheckFailedException e) {
            throw new StaleEpochException(current.sessionId());
        }
    }

    @Override
    public void addParticipant(String sessionId, String participantId) {
        dynamo.updateItem(b -> b.tableName(table).key(sessionKeyOf(sessionId))
                .updateExpression("ADD #p :p SET #expiresAt = :expiresAt")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#p", PARTICIPANTS, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromSs(List.of(participantId)),
                        ":expiresAt", n(sessionExpiry(clock.millis())))));
    }

    @Override
    public void removeParticipant(String sessionId, String participantId) {
        Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(sessionKeyOf(sessionId))
                .updateExpression("DELETE #p :p")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#p", PARTICIPANTS))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromSs(List.of(participantId))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        if (!after.containsKey(PARTICIPANTS)) {
            // Deleting the last set member removes the attribute; only then does the session end.
            try {
                dynamo.deleteItem(b -> b.tableName(table).key(sessionKeyOf(sessionId))
                        .conditionExpression("attribute_not_exists(#p)")
                        .expressionAttributeNames(Map.of("#p", PARTICIPANTS)));
            } catch (ConditionalCheckFailedException someoneJoinedMeanwhile) {
                // Keep the session: a participant joined between the two writes.
            }
        }
    }

    @Override
    public boolean firstUse(String nonce, long expiresAtEpochSecond) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(PK, s(NONCE_PREFIX + nonce), SK, s(NONCE_SK), EXPIRES_AT, n(expiresAtEpochSecond)))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException alreadyUsed) {
            return false;
        }
    }

    @Override
    public void publish(InstanceHeartbeat h) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(instanceKey(h.region())));
        item.put(SK, s(instanceSortKey(h.role(), h.instanceId())));
        item.put(ROLE, s(h.role()));
        item.put(REGION, s(h.region()));
        item.put(INSTANCE_ID, s(h.instanceId()));
        item.put(ADDRESS, s(h.address()));
        item.put(SESSIONS, n(h.sessions()));
        item.put(CAPACITY, n(h.capacity()));
        item.put(PACKETS_PER_SECOND, n(h.packetsPerSecond()));
        item.put(LOSS_RATIO, n(h.lossRatio()));
        item.put(EVENT_LOOP_LAG_MILLIS, n(h.eventLoopLagMillis()));
        item.put(READY, AttributeValue.fromBool(h.ready()));
        item.put(DRAINING, AttributeValue.fromBool(h.draining()));
        item.put(UPDATED_AT, n(h.updatedAtMillis()));
        item.put(EXPIRES_AT, n((h.updatedAtMillis() + heartbeatTtl.toMillis()) / 1000));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<InstanceHeartbeat> list(String inRegion, String role) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :role)")
                .expressionAttributeValues(Map.of(":pk", s(instanceKey(inRegion)), ":role", s(role + "#"))));
        return response.items().stream().map(DynamoSessionStore::toHeartbeat).toList();
    }

    private long sessionExpiry(long nowMillis) {
        return (nowMillis + sessionTtl.toMillis()) / 1000;
    }

    private static Map<String, AttributeValue> sessionKeyOf(String sessionId) {
        return Map.of(PK, s(sessionKey(sessionId)), SK, s(SESSION_SK));
    }

    private static SessionRecord toSession(Map<String, AttributeValue> item) {
        return new SessionRecord(item.get(PK).s().substring(SESSION_PREFIX.length()),
                Long.parseLong(item.get(EPOCH).n()), item.get(RELAY_ID).s(), item.get(RELAY_ADDRESS).s(),
                item.get(REGION).s(),
                item.containsKey(PARTICIPANTS) ? Set.copyOf(item.get(PARTICIPANTS).ss()) : Set.of(),
                Long.parseLong(item.get(CREATED_AT).n()));
    }

    private static InstanceHeartbeat toHeartbeat(Map<String, AttributeValue> item) {
        return new InstanceHeartbeat(item.get(ROLE).s(), item.get(REGION).s(), item.get(INSTANCE_ID).s(),
                item.get(ADDRESS).s(), (int) num(item, SESSIONS), (int) num(item, CAPACITY),
                num(item, PACKETS_PER_SECOND), num(item, LOSS_RATIO), num(item, EVENT_LOOP_LAG_MILLIS),
                bool(item, READY), bool(item, DRAINING), (long) num(item, UPDATED_AT));
    }

    private static double num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Double.parseDouble(v.n());
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue n(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }
}
