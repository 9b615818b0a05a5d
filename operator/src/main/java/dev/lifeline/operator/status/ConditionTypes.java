package dev.lifeline.operator.status;

/** The condition types of a RealtimePlatform's status. */
public final class ConditionTypes {
    /** Everything this region's operator manages is in place and healthy. */
    public static final String READY = "Ready";
    /** The region's media-server and signaling Deployments have their minimum replicas available. */
    public static final String WORKLOADS_AVAILABLE = "WorkloadsAvailable";
    public static final String SESSION_STORE_READY = "SessionStoreReady";
    public static final String DNS_READY = "DnsReady";
    public static final String REGIONS_HEALTHY = "RegionsHealthy";
    /**
     * True while a peer's operator is silent (its heartbeat stale for a quorum of regions) but its service is not
     * shown down: a control-plane fault, reported and never drained.
     */
    public static final String CONTROL_PLANE_SILENT = "ControlPlaneSilent";
    /** True while something fails; its reason says what (never only a log line). */
    public static final String DEGRADED = "Degraded";
    /** kstatus: True while working towards Ready (see ProgressConditions). */
    public static final String RECONCILING = "Reconciling";
    /** kstatus: True when only a person can unblock progress (see ProgressConditions). */
    public static final String STALLED = "Stalled";

    /** Types whose True status is the bad one (an Event of type Warning when they turn True). */
    public static boolean trueIsBad(String type) {
        return DEGRADED.equals(type) || CONTROL_PLANE_SILENT.equals(type);
    }

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private ConditionTypes() {
    }
}
