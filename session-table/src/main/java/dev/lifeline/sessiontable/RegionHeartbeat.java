package dev.lifeline.sessiontable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * @param suspects the peer regions this operator's failure detector suspects (its vote for the quorum), or
 *        {@code null} when it publishes none (an operator of an earlier version)
 */
public record RegionHeartbeat(String region, Instant updatedAt, String phase, Long sessions, Long capacity,
        Map<String, Instant> peers, Set<String> suspects) {

    public RegionHeartbeat {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(updatedAt, "updatedAt");
        peers = Map.copyOf(peers);
        suspects = suspects == null ? null : Set.copyOf(suspects);
    }

    /** A heartbeat without a detector's vote. */
    public RegionHeartbeat(String region, Instant updatedAt, String phase, Long sessions, Long capacity,
            Map<String, Instant> peers) {
        this(region, updatedAt, phase, sessions, capacity, peers, null);
    }
}
