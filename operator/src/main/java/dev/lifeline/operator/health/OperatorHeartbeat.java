package dev.lifeline.operator.health;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.policy.Phase;

/**
 * What each region's operator publishes in the session table every heartbeat interval
 * (item pk=REGION#&lt;region&gt;, sk=HEARTBEAT): that it is alive, its traffic phase, its load, and
 * when it last saw each peer and which peers its failure detector suspects (the inputs of the quorum;
 * {@code suspects} null: an operator that publishes no vote).
 */
public record OperatorHeartbeat(String region, Instant at, Phase phase, Long activeSessions, Long capacity,
        Map<String, Instant> peerView, Set<String> suspects) {

    /** A heartbeat without the failure detector's vote ({@code suspects} null: none published). */
    public OperatorHeartbeat(String region, Instant at, Phase phase, Long activeSessions, Long capacity,
            Map<String, Instant> peerView) {
        this(region, at, phase, activeSessions, capacity, peerView, null);
    }
}
