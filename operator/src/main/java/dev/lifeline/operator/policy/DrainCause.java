package dev.lifeline.operator.policy;

/** Why a region's record is (being) drained. */
public enum DrainCause {
    /** A breaker of the region is open (failure rate, or restart budget spent). */
    BREAKER_OPEN,
    /** {@code spec.regions[].drain: true} — declarative manual failover. */
    SPEC_DRAIN,
    /** A quorum of live regions sees the region's heartbeat stale and its operator is silent. */
    QUORUM_DOWN,
    /** Health failed while the weight was coming back; the partial weight was rolled back to 0. */
    ROLLBACK,
    /** The record was found at weight 0 without this operator having drained it (peers' quorum, or by hand). */
    EXTERNAL
}
