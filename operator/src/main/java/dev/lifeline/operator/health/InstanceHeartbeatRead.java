package dev.lifeline.operator.health;

import java.util.List;

/**
 * One read of a region's instance heartbeats.
 *
 * @param heartbeats every well-formed heartbeat item, fresh or stale (staleness is judged by {@link RegionLoad})
 * @param malformed the items that were skipped, each as "sk: what is wrong"
 */
public record InstanceHeartbeatRead(List<InstanceHeartbeat> heartbeats, List<String> malformed) {

    public InstanceHeartbeatRead {
        heartbeats = List.copyOf(heartbeats);
        malformed = List.copyOf(malformed);
    }
}
