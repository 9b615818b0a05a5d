package dev.lifeline.operator.health;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Heartbeats kept in this process: for local runs without AWS (one operator, one region). */
public final class InMemoryCoordinationStore implements CoordinationStore {

    private final Map<String, OperatorHeartbeat> items = new ConcurrentHashMap<>();

    @Override
    public void publish(String tableName, String ownRegion, OperatorHeartbeat heartbeat) {
        items.put(tableName + "/" + heartbeat.region(), heartbeat);
    }

    @Override
    public Map<String, OperatorHeartbeat> read(String tableName, String ownRegion, Collection<String> regions) {
        Map<String, OperatorHeartbeat> found = new HashMap<>();
        for (String region : regions) {
            OperatorHeartbeat heartbeat = items.get(tableName + "/" + region);
            if (heartbeat != null) {
                found.put(region, heartbeat);
            }
        }
        return found;
    }
}
