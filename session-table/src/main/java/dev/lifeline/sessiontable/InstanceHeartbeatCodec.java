package dev.lifeline.sessiontable;

import static dev.lifeline.sessiontable.AttributeNames.*;
import static dev.lifeline.sessiontable.AttributeValues.*;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Instance heartbeat items. Decoding is strict about what decisions depend on (role, instance id,
 * sessions, capacity, ready, updatedAt: missing, negative or fractional is malformed) and lenient
 * about the rest (absent or odd measurements are "not reported", absent draining is false, absent
 * region is the one in the pk).
 */
public final class InstanceHeartbeatCodec {

    private InstanceHeartbeatCodec() {
    }

    /** The item; it expires {@code lifetime} after {@link InstanceHeartbeat#updatedAt()}. Null optionals are left out. */
    public static Map<String, AttributeValue> encode(InstanceHeartbeat h, Duration lifetime) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableSchema.PARTITION_KEY, s(ItemKeys.instancePk(h.region())));
        item.put(TableSchema.SORT_KEY, s(ItemKeys.instanceSk(h.role(), h.instanceId())));
        item.put(ROLE, s(h.role()));
        item.put(REGION, s(h.region()));
        item.put(INSTANCE_ID, s(h.instanceId()));
        if (h.address() != null) {
            item.put(ADDRESS, s(h.address()));
        }
        item.put(SESSIONS, n(h.sessions()));
        item.put(CAPACITY, n(h.capacity()));
        putIfReported(item, PACKETS_PER_SECOND, h.packetsPerSecond());
        putIfReported(item, LOSS_RATIO, h.lossRatio());
        putIfReported(item, EVENT_LOOP_LAG_MILLIS, h.eventLoopLagMillis());
        item.put(READY, bool(h.ready()));
        item.put(DRAINING, bool(h.draining()));
        item.put(UPDATED_AT, n(h.updatedAtMillis()));
        item.put(TableSchema.TTL_ATTRIBUTE, n(TableSchema.expiresAt(h.updatedAt(), lifetime)));
        return item;
    }

    /** @throws MalformedItemException naming what is wrong, for an item that is not a usable heartbeat */
    public static InstanceHeartbeat decode(Map<String, AttributeValue> item) {
        ItemReader read = new ItemReader(item);
        String pkRegion = read.partitionKeyAfter(ItemKeys.INSTANCE_PREFIX, "region");
        String role = read.requiredString(ROLE);
        String instanceId = read.requiredString(INSTANCE_ID);
        String region = read.string(REGION);
        return new InstanceHeartbeat(role, region != null ? region : pkRegion, instanceId, read.string(ADDRESS),
                read.count(SESSIONS), read.count(CAPACITY), read.optionalDecimal(PACKETS_PER_SECOND),
                read.optionalDecimal(LOSS_RATIO), read.optionalDecimal(EVENT_LOOP_LAG_MILLIS),
                read.requiredFlag(READY), read.flag(DRAINING, false), Instant.ofEpochMilli(read.count(UPDATED_AT)));
    }

    private static void putIfReported(Map<String, AttributeValue> item, String name, Double value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }
}
