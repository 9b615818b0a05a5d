package dev.lifeline.sessiontable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An operator's heartbeat for its region (item pk=REGION#&lt;region&gt;, sk=HEARTBEAT), written every
 * heartbeat interval and read by every peer: that it is alive, its traffic phase, its load, and its
 * view of the peers (the input of the quorum).
 *
 * @param updatedAt when the operator wrote it (millisecond precision in the table)
 * @param phase the traffic phase's status name (Serving, PreScaling, Drained, Restoring), kept as text
 *        so that a peer of another version can still be read
 * @param sessions the region's live sessions, or {@code null} when its instance heartbeats could not be read
 * @param capacity sessions the region can take, or {@code null} likewise
 * @param peers when this operator last saw each peer region's heartbeat
 */
public record RegionHeartbeat(String region, Instant updatedAt, String phase, Long sessions, Long capacity,
        Map<String, Instant> peers) {

    public RegionHeartbeat {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(updatedAt, "updatedAt");
        peers = Map.copyOf(peers);
    }
}
