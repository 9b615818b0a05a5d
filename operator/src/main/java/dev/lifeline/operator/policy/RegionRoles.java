package dev.lifeline.operator.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Which regions take traffic and which give theirs away, from the spec, the quorum verdict and the phases the peers
 * publish. Read by the local reroute (the survivors' spare capacity) and by pre-scale (who absorbs whose sessions).
 *
 * @param survivors regions that can take traffic, in spec order: weight above 0, not drained by spec, not down by
 *        quorum, and (peers) live and not announcing a drain; the local region counts whatever its reroute phase
 * @param sheddingPeers peers whose sessions must go elsewhere: down by quorum, drained by spec, or announcing a drain
 */
record RegionRoles(Set<String> survivors, Set<String> sheddingPeers) {

    RegionRoles {
        survivors = Collections.unmodifiableSet(new LinkedHashSet<>(survivors));
        sheddingPeers = Collections.unmodifiableSet(new LinkedHashSet<>(sheddingPeers));
    }

    static RegionRoles of(DecisionInput in, QuorumPolicy.Verdict verdict) {
        Set<String> survivors = new LinkedHashSet<>();
        Set<String> shedding = new LinkedHashSet<>();
        for (EffectivePolicy.Region r : in.policy().regions().values()) {
            if (isSurvivor(in, r, verdict)) {
                survivors.add(r.name());
            }
            if (!r.name().equals(in.local()) && isShedding(in, r, verdict)) {
                shedding.add(r.name());
            }
        }
        return new RegionRoles(survivors, shedding);
    }

    private static boolean isSurvivor(DecisionInput in, EffectivePolicy.Region r, QuorumPolicy.Verdict verdict) {
        if (r.weight() <= 0 || r.drain() || verdict.isDown(r.name())) {
            return false;
        }
        if (r.name().equals(in.local())) {
            return true;
        }
        if (!verdict.live().contains(r.name())) {
            return false;
        }
        RegionObservation ro = in.observed(r.name());
        return ro == null || ro.phase() == null || !ro.phase().shedsTraffic();
    }

    private static boolean isShedding(DecisionInput in, EffectivePolicy.Region r, QuorumPolicy.Verdict verdict) {
        if (verdict.isDown(r.name()) || r.drain()) {
            return true;
        }
        RegionObservation ro = in.observed(r.name());
        return verdict.live().contains(r.name()) && ro != null && ro.phase() != null && ro.phase().shedsTraffic();
    }

    boolean isSurvivor(String region) {
        return survivors.contains(region);
    }

    boolean isSheddingPeer(String region) {
        return sheddingPeers.contains(region);
    }
}
