package dev.lifeline.operator.health;

import java.time.Instant;
import java.util.Map;

import dev.lifeline.operator.aws.table.SessionTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the item layout of an instance heartbeat (documented in docs/session-table.md; written by
 * the media-server's DynamoSessionStore). Strict about what decisions depend on (role, instance id,
 * sessions, capacity, ready, updatedAt), lenient about the rest.
 */
final class InstanceHeartbeatItems {

    private InstanceHeartbeatItems() {
    }

    /** @throws IllegalArgumentException naming what is wrong, for an item that is not a usable heartbeat */
    static InstanceHeartbeat fromItem(Map<String, AttributeValue> item) {
        String pk = string(item, SessionTableSchema.PARTITION_KEY);
        if (pk == null || !pk.startsWith(SessionTableSchema.INSTANCE_PREFIX)) {
            throw new IllegalArgumentException("pk is not " + SessionTableSchema.INSTANCE_PREFIX + "<region>: " + pk);
        }
        String role = required(item, "role");
        String instanceId = required(item, "instanceId");
        String region = string(item, "region");
        return new InstanceHeartbeat(role,
                region != null ? region : pk.substring(SessionTableSchema.INSTANCE_PREFIX.length()), instanceId,
                string(item, "address"), count(item, "sessions"), count(item, "capacity"),
                decimal(item, "packetsPerSecond"), decimal(item, "lossRatio"), decimal(item, "eventLoopLagMillis"),
                flag(item, "ready", null), flag(item, "draining", false),
                Instant.ofEpochMilli(count(item, "updatedAt")));
    }

    /** sk of the item, to name it in a log line. */
    static String describe(Map<String, AttributeValue> item) {
        String sk = string(item, SessionTableSchema.SORT_KEY);
        return sk == null ? "(no sk)" : sk;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static String required(Map<String, AttributeValue> item, String name) {
        String s = string(item, name);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " is missing or not a non-empty string");
        }
        return s;
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            throw new IllegalArgumentException(name + " is missing or not a number");
        }
        long n;
        try {
            n = Long.parseLong(v.n());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + v.n());
        }
        if (n < 0) {
            throw new IllegalArgumentException(name + " is negative: " + n);
        }
        return n;
    }

    /** Optional measurements: absent or unreadable is "not reported", never a reason to drop the heartbeat. */
    private static Double decimal(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            return null;
        }
        try {
            return Double.valueOf(v.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean flag(Map<String, AttributeValue> item, String name, Boolean absent) {
        AttributeValue v = item.get(name);
        if (v == null || v.bool() == null) {
            if (absent == null) {
                throw new IllegalArgumentException(name + " is missing or not a boolean");
            }
            return absent;
        }
        return v.bool();
    }
}
