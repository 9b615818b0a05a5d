package dev.lifeline.operator.aws.table;

import java.util.List;
import java.util.Map;

/**
 * The session table as one region sees it, independent of the provider (DynamoDB or in-memory).
 *
 * @param status      table status: CREATING, ACTIVE, UPDATING, DELETING, ...
 * @param key         key schema with attribute types
 * @param billingMode PAY_PER_REQUEST or PROVISIONED
 * @param streamViewType stream view type, or null when streams are disabled
 * @param ttlAttribute attribute of TTL, or null when TTL is disabled
 * @param ttlStatus   ENABLED, ENABLING, DISABLED or DISABLING
 * @param pointInTimeRecovery whether continuous backups with PITR are on
 * @param replicas    the other regions' replicas and their status (ACTIVE, CREATING, ...); the
 *                    region this state was read in is the table itself
 */
public record TableState(
        String name,
        String arn,
        String region,
        String status,
        List<KeyAttribute> key,
        String billingMode,
        Long readCapacityUnits,
        Long writeCapacityUnits,
        String streamViewType,
        String ttlAttribute,
        String ttlStatus,
        boolean pointInTimeRecovery,
        boolean deletionProtection,
        Map<String, String> replicas) {

    public static final String ACTIVE = "ACTIVE";

    public TableState {
        key = List.copyOf(key);
        replicas = Map.copyOf(replicas);
    }

    /** One key attribute: name, HASH or RANGE, and S, N or B. */
    public record KeyAttribute(String name, String keyType, String attributeType) {
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public boolean streamEnabled() {
        return streamViewType != null;
    }

    public boolean ttlOn() {
        return "ENABLED".equals(ttlStatus) || "ENABLING".equals(ttlStatus);
    }
}
