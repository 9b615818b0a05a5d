package dev.lifeline.operator.health;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.lifeline.sessiontable.DecodedItems;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.InstanceHeartbeatCodec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    /**
     * The read of these heartbeat items (every page of the region's Query): a malformed item is skipped and
     * reported, never fatal.
     */
    public static InstanceHeartbeatRead fromItems(Collection<Map<String, AttributeValue>> items) {
        DecodedItems<InstanceHeartbeat> decoded = DecodedItems.decode(items, InstanceHeartbeatCodec::decode);
        return new InstanceHeartbeatRead(decoded.values(), decoded.malformed());
    }
}
