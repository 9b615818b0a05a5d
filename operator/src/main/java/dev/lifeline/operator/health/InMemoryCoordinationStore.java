package dev.lifeline.operator.health;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.ItemKeys;

/** Heartbeats kept in this process: for local runs without AWS (one operator, one region). */
public final class InMemoryCoordinationStore implements CoordinationStore {

    private final Map<String, OperatorHeartbeat> items = new ConcurrentHashMap<>();
    private final Map<String, InstanceHeartbeat> instances = new ConcurrentHashMap<>();

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

    /** Writes an instance's heartbeat as the media-server would (same key: region, role, instance id). */
    public void publishInstance(String tableName, InstanceHeartbeat heartbeat) {
        instances.put(instanceKey(tableName, heartbeat.region())
                + ItemKeys.instanceSk(heartbeat.role(), heartbeat.instanceId()), heartbeat);
    }

    @Override
    public InstanceHeartbeatRead readInstances(String tableName, String ownRegion) {
        String prefix = instanceKey(tableName, ownRegion);
        List<InstanceHeartbeat> found = instances.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).toList();
        return new InstanceHeartbeatRead(found, List.of());
    }

    private static String instanceKey(String tableName, String region) {
        return tableName + "/" + ItemKeys.instancePk(region) + "/";
    }
}
