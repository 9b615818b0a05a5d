package dev.lifeline.operator.policy;

/**
 * Where a region's DNS record stands in the reroute cycle. Each operator publishes the phase of its own region in
 * its heartbeat, so that peers pre-scale for a region that is about to drain.
 */
public enum Phase {
    /** Record at its spec weight. */
    SERVING("Serving"),
    /** A drain is due; waiting for the surviving regions' extra capacity (or the drain deadline). Weight unchanged. */
    PRE_SCALING("PreScaling"),
    /** Record at weight 0. */
    DRAINED("Drained"),
    /** Weight coming back in steps of {@code reroute.stepPercent}, checking health between steps. */
    RESTORING("Restoring");

    private final String statusName;

    Phase(String statusName) {
        this.statusName = statusName;
    }

    public String statusName() {
        return statusName;
    }

    public static Phase fromStatusName(String s) {
        for (Phase p : values()) {
            if (p.statusName.equals(s)) {
                return p;
            }
        }
        return null;
    }

    /** True when a peer in this phase is giving its traffic away, so survivors must absorb its sessions. */
    public boolean shedsTraffic() {
        return this == PRE_SCALING || this == DRAINED;
    }

    @Override
    public String toString() {
        return statusName;
    }
}
