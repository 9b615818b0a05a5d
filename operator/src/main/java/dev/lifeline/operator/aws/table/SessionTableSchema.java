package dev.lifeline.operator.aws.table;

/**
 * The single-table design of the session table, shared by the operator and the media-server
 * (documented in docs/session-table.md). Changing a name here breaks running platforms.
 */
public final class SessionTableSchema {

    /** Partition key, string. */
    public static final String PARTITION_KEY = "pk";
    /** Sort key, string. */
    public static final String SORT_KEY = "sk";
    /** TTL attribute: epoch seconds (number) after which DynamoDB may delete the item. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** Global tables version 2019.11.21 replicate through this stream view type. */
    public static final String STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";

    /** pk of a session item; its sk is {@link #SESSION_SK}. */
    public static final String SESSION_PREFIX = "SESSION#";
    public static final String SESSION_SK = "META";
    /** pk of media/signaling instance heartbeats of one region; sk is {@code <role>#<instanceId>}. */
    public static final String INSTANCE_PREFIX = "INSTANCE#";
    /** pk of an operator's coordination items of one region. */
    public static final String REGION_PREFIX = "REGION#";
    /** sk of an operator's heartbeat under {@code REGION#<region>}. */
    public static final String HEARTBEAT_SK = "HEARTBEAT";
    /** sk of an operator's view of its peers under {@code REGION#<observer>}. */
    public static final String VIEW_SK = "VIEW";

    private SessionTableSchema() {
    }

    public static String sessionPk(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    public static String instancePk(String region) {
        return INSTANCE_PREFIX + region;
    }

    public static String instanceSk(String role, String instanceId) {
        return role + "#" + instanceId;
    }

    public static String regionPk(String region) {
        return REGION_PREFIX + region;
    }
}
