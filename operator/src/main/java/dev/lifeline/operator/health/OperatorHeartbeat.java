package dev.lifeline.operator.health;

import java.time.Instant;
import java.util.Map;

import dev.lifeline.operator.policy.Phase;

/**
 * What each region's operator publishes in the session table every heartbeat interval
 * (item pk=REGION#&lt;region&gt;, sk=HEARTBEAT): that it is alive, its traffic phase, its load, and
 * when it last saw each peer (the input of the quorum).
 */
public record OperatorHeartbeat(String region, Instant at, Phase phase, Long activeSessions, Long capacity,
        Map<String, Instant> peerView) {
}
