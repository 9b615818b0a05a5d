package dev.lifeline.operator.policy;

/**
 * Media-server replicas a region needs, reactive and predictive.
 *
 * <ul>
 *   <li><b>Share</b> of a drained region's sessions that this survivor absorbs: the sessions of the regions shedding
 *       traffic, split across the surviving regions in proportion to their DNS weights (that is how Route 53 will
 *       send the users), rounded up so the shares add up to at least the whole.</li>
 *   <li><b>Reactive need</b>: ⌈(own sessions + share) × (1 + headroom) / sessionsPerReplica⌉.</li>
 *   <li><b>Predictive need</b>: the same with own sessions replaced by the forecast over the horizon (if higher).</li>
 *   <li><b>Desired</b>: max(reactive, predictive) clamped to [replicas.min, replicas.max] — so it is never above max
 *       and never below the reactive need unless that exceeds max.</li>
 * </ul>
 */
public final class PreScalePlanner {

    /** Upper bound on session counts taken into account, so that arithmetic cannot overflow. */
    static final long MAX_SESSIONS = 1_000_000_000_000L;

    /**
     * @param shareSessions sessions of draining regions this region absorbs
     * @param reactiveReplicas replicas for current own sessions + share (unclamped)
     * @param predictiveReplicas replicas for forecast own sessions + share (unclamped)
     * @param desired the replicas to run, within [min, max]
     */
    public record Plan(long shareSessions, int reactiveReplicas, int predictiveReplicas, int desired) {
    }

    private PreScalePlanner() {
    }

    /** ⌈sessions × (100 + headroom) / (100 × sessionsPerReplica)⌉, saturating at Integer.MAX_VALUE. */
    public static int replicasFor(long sessions, int sessionsPerReplica, int headroomPercent) {
        long s = Math.min(Math.max(sessions, 0), MAX_SESSIONS);
        long num = s * (100L + Math.max(headroomPercent, 0));
        long den = 100L * Math.max(sessionsPerReplica, 1);
        long r = (num + den - 1) / den;
        return (int) Math.min(r, Integer.MAX_VALUE);
    }

    /** This survivor's share, ⌈absorbed × weight / Σ survivor weights⌉; 0 if it takes no traffic. */
    public static long share(long absorbedSessions, int localWeight, long survivorWeightSum) {
        if (absorbedSessions <= 0 || localWeight <= 0 || survivorWeightSum <= 0) {
            return 0;
        }
        long a = Math.min(absorbedSessions, MAX_SESSIONS);
        long w = Math.min(localWeight, survivorWeightSum);
        return (a * w + survivorWeightSum - 1) / survivorWeightSum;
    }

    /**
     * @param ownSessions active sessions of this region now
     * @param shareSessions sessions it absorbs from draining regions ({@link #share})
     * @param forecastSessions forecast own sessions at the horizon, or {@code null} when forecasting is off
     */
    public static Plan plan(long ownSessions, long shareSessions, Double forecastSessions, int min, int max,
            int sessionsPerReplica, int headroomPercent) {
        int lo = Math.max(0, Math.min(min, max));
        int hi = Math.max(max, lo);
        long own = Math.min(Math.max(ownSessions, 0), MAX_SESSIONS);
        long share = Math.min(Math.max(shareSessions, 0), MAX_SESSIONS);
        int reactive = replicasFor(own + share, sessionsPerReplica, headroomPercent);
        int predictive = reactive;
        if (forecastSessions != null && Double.isFinite(forecastSessions)) {
            long f = (long) Math.ceil(Math.min(Math.max(forecastSessions, 0), (double) MAX_SESSIONS));
            predictive = replicasFor(Math.max(own, f) + share, sessionsPerReplica, headroomPercent);
        }
        int want = Math.max(reactive, predictive);
        int desired = Math.min(hi, Math.max(lo, want));
        return new Plan(share, reactive, predictive, desired);
    }
}
