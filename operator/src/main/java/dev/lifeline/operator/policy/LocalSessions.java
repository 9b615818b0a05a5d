package dev.lifeline.operator.policy;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * The local region's active sessions: the region's own reading, else the sum over the media-server pods that report
 * theirs, else unknown.
 *
 * @param known the sessions, or {@code null} when nothing reported them
 */
record LocalSessions(Long known) {

    static LocalSessions of(DecisionInput in) {
        RegionObservation lo = in.observed(in.local());
        if (lo != null && lo.activeSessions() != null) {
            return new LocalSessions(Math.max(0, lo.activeSessions()));
        }
        Long sum = null;
        ComponentObservation co = in.observed(Component.MEDIA_SERVER);
        if (co != null) {
            for (PodObservation p : co.pods()) {
                if (p.activeSessions() != null) {
                    sum = (sum == null ? 0 : sum) + Math.max(0, p.activeSessions());
                }
            }
        }
        return new LocalSessions(sum);
    }

    /** The sessions, 0 when unknown (for capacity and replica needs; the forecast skips unknown intervals). */
    long count() {
        return known == null ? 0 : known;
    }
}
