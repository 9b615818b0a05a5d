package dev.lifeline.media.session;

import static dev.lifeline.sessiontable.AttributeNames.*;
import static dev.lifeline.sessiontable.TableSchema.PARTITION_KEY;
import static dev.lifeline.sessiontable.TableSchema.SORT_KEY;
import static dev.lifeline.sessiontable.TableSchema.TTL_ATTRIBUTE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.lifeline.sessiontable.DecodedItems;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.InstanceHeartbeatCodec;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.NonceCodec;
import dev.lifeline.sessiontable.SessionCodec;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.sessiontable.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link SessionStore} and {@link InstanceDirectory} on the shared DynamoDB table, in the layout of
 * the lifeline-session-table module.
 */
public final class DynamoSessionStore implements SessionStore, InstanceDirectory, NonceRegistry {

    private static final Logger LOG = Logger.getLogger(DynamoSessionStore.class);
    private static final String ITEM_IS_NEW = "attribute_not_exists(" + PARTITION_KEY + ")";
    private static final String ITEM_EXISTS = "attribute_exists(" + PARTITION_KEY + ")";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String region;
    private final Duration sessionTtl;
    private final Duration heartbeatTtl;
    private final Clock clock;
    /** The malformed heartbeat items last logged per region and role, so that a bad item is logged once, not on every read. */
    private final Map<String, List<String>> loggedMalformed = new ConcurrentHashMap<>();

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
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(ItemKeys.sessionKey(sessionId)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(SessionCodec.decode(response.item())) : Optional.empty();
    }

    @Override
    public SessionRecord create(String sessionId, Placement placement, String participantId) throws StaleEpochException {
        long now = clock.millis();
        SessionRecord session = new SessionRecord(sessionId, 1, placement.relayId(), placement.relayAddress(), region,
                Set.of(participantId), now, placement.standbyRelayId(), placement.standbyRelayAddress());
        Map<String, AttributeValue> item = SessionCodec.encode(session, sessionExpiry(now));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(ITEM_IS_NEW));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleEpochException(sessionId);
        }
        return session;
    }

    @Override
    public SessionRecord reassign(SessionRecord current, Placement placement) throws StaleEpochException {
        Map<String, String> names = new HashMap<>(Map.of("#epoch", EPOCH, "#relayId", RELAY_ID,
                "#relayAddress", RELAY_ADDRESS, "#region", REGION, "#expiresAt", TTL_ATTRIBUTE,
                "#standbyId", STANDBY_RELAY_ID, "#standbyAddress", STANDBY_RELAY_ADDRESS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", n(current.fence().next(region).epoch()),
                ":expected", n(current.epoch()), ":expectedRegion", s(current.region()),
                ":relayId", s(placement.relayId()), ":relayAddress", s(placement.relayAddress()), ":region", s(region),
                ":expiresAt", n(sessionExpiry(clock.millis()))));
        String update = "SET #epoch = :next, #relayId = :relayId, #relayAddress = :relayAddress, #region = :region, "
                + "#expiresAt = :expiresAt";
        if (placement.hasStandby()) {
            update += ", #standbyId = :standbyId, #standbyAddress = :standbyAddress";
            values.put(":standbyId", s(placement.standbyRelayId()));
            values.put(":standbyAddress", s(placement.standbyRelayAddress()));
        } else {
            // The old standby was for the old epoch: without a new one, none.
            update += " REMOVE #standbyId, #standbyAddress";
        }
        String updateExpression = update;
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table)
                    .key(ItemKeys.sessionKey(current.sessionId()))
                    .updateExpression(updateExpression)
                    // The shared fencing rule (SessionFence): a new item, or the token the writer read, epoch and
                    // region; the region tells apart two regions' writes of one epoch that a global table settled.
                    .conditionExpression(ITEM_IS_NEW + " OR (#epoch = :expected AND #region = :expectedRegion)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return SessionCodec.decode(updated);
        } catch (ConditionalCheckFailedException e) {
            throw new StaleEpochException(current.sessionId());
        }
    }

    @Override
    public void addParticipant(String sessionId, String participantId) {
        dynamo.updateItem(b -> b.tableName(table).key(ItemKeys.sessionKey(sessionId))
                .updateExpression("ADD #p :p SET #expiresAt = :expiresAt")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeNames(Map.of("#p", PARTICIPANTS, "#expiresAt", TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":p", SessionCodec.participants(Set.of(participantId)),
                        ":expiresAt", n(sessionExpiry(clock.millis())))));
    }

    @Override
    public void removeParticipant(String sessionId, String participantId) {
        Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(ItemKeys.sessionKey(sessionId))
                .updateExpression("DELETE #p :p")
                .conditionExpression(ITEM_EXISTS)
                .expressionAttributeNames(Map.of("#p", PARTICIPANTS))
                .expressionAttributeValues(Map.of(":p", SessionCodec.participants(Set.of(participantId))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        if (!after.containsKey(PARTICIPANTS)) {
            // Deleting the last set member removes the attribute; only then does the session end.
            try {
                dynamo.deleteItem(b -> b.tableName(table).key(ItemKeys.sessionKey(sessionId))
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
            dynamo.putItem(b -> b.tableName(table).item(NonceCodec.encode(nonce, expiresAtEpochSecond))
                    .conditionExpression(ITEM_IS_NEW));
            return true;
        } catch (ConditionalCheckFailedException alreadyUsed) {
            return false;
        }
    }

    @Override
    public void publish(InstanceHeartbeat h) {
        Map<String, AttributeValue> item = InstanceHeartbeatCodec.encode(h, heartbeatTtl);
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Malformed items are skipped (and logged when they change): one bad item must not stop every join. */
    @Override
    public List<InstanceHeartbeat> list(String inRegion, String role) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(PARTITION_KEY + " = :pk AND begins_with(" + SORT_KEY + ", :role)")
                .expressionAttributeValues(Map.of(":pk", s(ItemKeys.instancePk(inRegion)),
                        ":role", s(ItemKeys.instanceSkPrefix(role)))));
        DecodedItems<InstanceHeartbeat> decoded = DecodedItems.decode(response.items(), InstanceHeartbeatCodec::decode);
        logIfNew(inRegion + "/" + role, decoded.malformed());
        return decoded.values();
    }

    private void logIfNew(String query, List<String> malformed) {
        List<String> before = loggedMalformed.put(query, malformed);
        if (!malformed.isEmpty() && !malformed.equals(before)) {
            LOG.warnf("Skipping %d malformed instance heartbeat item(s) of %s in table %s: %s", malformed.size(), query,
                    table, malformed);
        }
    }

    private long sessionExpiry(long nowMillis) {
        return TableSchema.expiresAt(Instant.ofEpochMilli(nowMillis), sessionTtl);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
