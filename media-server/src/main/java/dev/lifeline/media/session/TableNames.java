package dev.lifeline.media.session;

/**
 * Names in the shared session table (single-table design, read by the operator too). Changing one
 * breaks the operator: keep them in step with the module README.
 */
public final class TableNames {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String EXPIRES_AT = "expiresAt";

    public static final String SESSION_PREFIX = "SESSION#";
    public static final String SESSION_SK = "META";
    public static final String EPOCH = "epoch";
    public static final String RELAY_ID = "relayId";
    public static final String RELAY_ADDRESS = "relayAddress";
    public static final String REGION = "region";
    public static final String PARTICIPANTS = "participants";
    public static final String CREATED_AT = "createdAt";

    public static final String NONCE_PREFIX = "NONCE#";
    public static final String NONCE_SK = "JOIN";

    public static final String INSTANCE_PREFIX = "INSTANCE#";
    public static final String ROLE = "role";
    public static final String INSTANCE_ID = "instanceId";
    public static final String ADDRESS = "address";
    public static final String SESSIONS = "sessions";
    public static final String CAPACITY = "capacity";
    public static final String PACKETS_PER_SECOND = "packetsPerSecond";
    public static final String LOSS_RATIO = "lossRatio";
    public static final String EVENT_LOOP_LAG_MILLIS = "eventLoopLagMillis";
    public static final String READY = "ready";
    public static final String DRAINING = "draining";
    public static final String UPDATED_AT = "updatedAt";

    private TableNames() {
    }

    public static String sessionKey(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    public static String instanceKey(String region) {
        return INSTANCE_PREFIX + region;
    }

    public static String instanceSortKey(String role, String instanceId) {
        return role + "#" + instanceId;
    }
}
