package dev.lifeline.sessiontable;

/**
 * The attribute names of the items, besides the keys and {@link TableSchema#TTL_ATTRIBUTE}. Several
 * item kinds share a name ({@link #REGION}, {@link #SESSIONS}, {@link #CAPACITY}, {@link #UPDATED_AT}).
 */
public final class AttributeNames {

    // Session item
    public static final String EPOCH = "epoch";
    public static final String RELAY_ID = "relayId";
    public static final String RELAY_ADDRESS = "relayAddress";
    public static final String PARTICIPANTS = "participants";
    public static final String CREATED_AT = "createdAt";
    /** The relay pre-authorised for the session's next epoch (optional: absent when no other relay was eligible). */
    public static final String STANDBY_RELAY_ID = "standbyRelayId";
    public static final String STANDBY_RELAY_ADDRESS = "standbyRelayAddress";

    // Instance heartbeat
    public static final String ROLE = "role";
    public static final String INSTANCE_ID = "instanceId";
    public static final String ADDRESS = "address";
    public static final String PACKETS_PER_SECOND = "packetsPerSecond";
    public static final String LOSS_RATIO = "lossRatio";
    public static final String EVENT_LOOP_LAG_MILLIS = "eventLoopLagMillis";
    public static final String READY = "ready";
    public static final String DRAINING = "draining";

    // Operator heartbeat
    public static final String PHASE = "phase";
    public static final String PEERS = "peers";
    public static final String SUSPECTS = "suspects";

    // Shared
    public static final String REGION = "region";
    public static final String SESSIONS = "sessions";
    public static final String CAPACITY = "capacity";
    /** Epoch milliseconds of the writer's clock. */
    public static final String UPDATED_AT = "updatedAt";

    private AttributeNames() {
    }
}
