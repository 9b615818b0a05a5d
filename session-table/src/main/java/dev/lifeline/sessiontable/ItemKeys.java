package dev.lifeline.sessiontable;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The partition and sort keys of each item kind. */
public final class ItemKeys {

    /** pk of a session item; its sk is {@link #SESSION_SK}. */
    public static final String SESSION_PREFIX = "SESSION#";
    public static final String SESSION_SK = "META";
    /** pk of a used join-token nonce; its sk is {@link #NONCE_SK}. */
    public static final String NONCE_PREFIX = "NONCE#";
    public static final String NONCE_SK = "JOIN";
    /** pk of the media/signaling instance heartbeats of one region; sk is {@code <role>#<instanceId>}. */
    public static final String INSTANCE_PREFIX = "INSTANCE#";
    /** pk of an operator's items of one region. */
    public static final String REGION_PREFIX = "REGION#";
    /** sk of an operator's heartbeat under {@code REGION#<region>}. */
    public static final String HEARTBEAT_SK = "HEARTBEAT";

    private static final String SORT_KEY_SEPARATOR = "#";

    private ItemKeys() {
    }

    public static String sessionPk(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    public static Map<String, AttributeValue> sessionKey(String sessionId) {
        return key(sessionPk(sessionId), SESSION_SK);
    }

    public static Map<String, AttributeValue> nonceKey(String nonce) {
        return key(NONCE_PREFIX + nonce, NONCE_SK);
    }

    public static String instancePk(String region) {
        return INSTANCE_PREFIX + region;
    }

    public static String instanceSk(String role, String instanceId) {
        return instanceSkPrefix(role) + instanceId;
    }

    /** What every sk of {@code role}'s heartbeats begins with, to query one role. */
    public static String instanceSkPrefix(String role) {
        return role + SORT_KEY_SEPARATOR;
    }

    public static String regionPk(String region) {
        return REGION_PREFIX + region;
    }

    public static Map<String, AttributeValue> regionHeartbeatKey(String region) {
        return key(regionPk(region), HEARTBEAT_SK);
    }

    /** The item's sk, to name it in a log line or a malformed-item report. */
    public static String describe(Map<String, AttributeValue> item) {
        AttributeValue sk = item.get(TableSchema.SORT_KEY);
        return sk == null || sk.s() == null ? "(no sk)" : sk.s();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableSchema.PARTITION_KEY, AttributeValue.fromS(pk), TableSchema.SORT_KEY, AttributeValue.fromS(sk));
    }
}
