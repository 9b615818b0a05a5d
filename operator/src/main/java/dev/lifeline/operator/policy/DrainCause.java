package dev.lifeline.operator.policy;

/** Why a region's record is (being) drained. */
public enum DrainCause {
    /** A breaker of the region is open (failure rate, or restart budget spent). */
    BREAKER_OPEN,
    /** {@code spec.regions[].drain: true} — declarative manual failover. */
    SPEC_DRAIN,
    /** A failover drill (annotation {@code lifeline.dev/drill}): a time-boxed manual failover. */
    DRILL,
    /** A quorum of live regions sees the region's heartbeat stale and its operator is silent. */
    QUORUM_DOWN,
    /** Health failed while the weight was coming back; the partial weight was rolled back to 0. */
    ROLLBACK,
    /** The record was found at weight 0 without this operator having drained it (peers' quorum, or by hand). */
    EXTERNAL;

    /** Asked for by a person (spec or drill): pre-scale the survivors first, even in the middle of a restore. */
    public boolean isPlanned() {
        return this == SPEC_DRAIN || this == DRILL;
    }
}
