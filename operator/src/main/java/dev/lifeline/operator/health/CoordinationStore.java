package dev.lifeline.operator.health;

import java.util.Collection;
import java.util.Map;

/**
 * The operators' coordination channel: heartbeats in the session table (a DynamoDB global
 * table, so every region reads every region's items from its local replica).
 */
public interface CoordinationStore {

    /** Writes this region's heartbeat. */
    void publish(String tableName, String ownRegion, OperatorHeartbeat heartbeat);

    /** The latest heartbeat of each of {@code regions} that has one, read in {@code ownRegion}. */
    Map<String, OperatorHeartbeat> read(String tableName, String ownRegion, Collection<String> regions);

    /**
     * The heartbeats the media-server instances of {@code ownRegion} wrote (pk INSTANCE#&lt;ownRegion&gt;), all of
     * them, stale ones included; items that are not well-formed heartbeats are skipped and reported, never fatal.
     */
    InstanceHeartbeatRead readInstances(String tableName, String ownRegion);
}
