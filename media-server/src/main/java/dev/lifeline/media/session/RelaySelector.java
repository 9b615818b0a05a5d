package dev.lifeline.media.session;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * Picks the relay for a session from heartbeats. Pure. A relay is eligible when its heartbeat is
 * fresh, it is ready, not draining, and below capacity. Own region first; within it, the less
 * loaded of two random eligible relays ("power of two choices"): signaling instances act on the
 * same, slightly old heartbeats, and always taking the single least-loaded relay would send every
 * join in a burst to the same one.
 */
public final class RelaySelector {

    private final Duration staleAfter;
    private final RandomGenerator random;

    /** Milliseconds, kept as a tiny value type so call sites read clearly. */
    public record Duration(long millis) {
    }

    public RelaySelector(Duration staleAfter, RandomGenerator random) {
        this.staleAfter = staleAfter;
        this.random = random;
    }

    public boolean eligible(InstanceHeartbeat h, long nowMillis) {
        return InstanceHeartbeat.MEDIA.equals(h.role()) && h.ready() && !h.draining()
                && nowMillis - h.updatedAtMillis() <= staleAfter.millis() && h.sessions() < h.capacity();
    }

    /**
     * Fit to keep the sessions it already has: alive and not draining. Overload (not ready) only
     * stops new sessions; moving a running call off a busy relay would make things worse.
     */
    public boolean fitToKeep(InstanceHeartbeat h, long nowMillis) {
        return InstanceHeartbeat.MEDIA.equals(h.role()) && !h.draining()
                && nowMillis - h.updatedAtMillis() <= staleAfter.millis();
    }

    public Optional<InstanceHeartbeat> choose(List<InstanceHeartbeat> heartbeats, String ownRegion,
                                              Set<String> excludedRelayIds, long nowMillis) {
        List<InstanceHeartbeat> candidates = heartbeats.stream()
                .filter(h -> eligible(h, nowMillis) && !excludedRelayIds.contains(h.instanceId()))
                .toList();
        return lessLoadedOfTwo(ownRegionFirst(candidates, ownRegion));
    }

    /**
     * The standby for a session owned by {@code relay}: an eligible relay other than it and the excluded ones, in the
     * owner's region (a relay failure must not move a call to another region: that is what a region loss does, through
     * signaling), and on another host than the owner's when there is one (the nearest thing to another failure domain
     * the heartbeats tell). Every participant gets the one recorded in the session item, so both sides of a call move
     * to the same relay. Empty when the owner is alone in its region.
     */
    public Optional<InstanceHeartbeat> chooseStandby(List<InstanceHeartbeat> heartbeats, InstanceHeartbeat relay,
                                                     Set<String> excludedRelayIds, long nowMillis) {
        List<InstanceHeartbeat> pool = heartbeats.stream()
                .filter(h -> eligible(h, nowMillis) && !excludedRelayIds.contains(h.instanceId())
                        && !h.instanceId().equals(relay.instanceId()) && h.region().equals(relay.region()))
                .toList();
        List<InstanceHeartbeat> otherHost = pool.stream().filter(h -> !host(h).equals(host(relay))).toList();
        return lessLoadedOfTwo(otherHost.isEmpty() ? pool : otherHost);
    }

    private static List<InstanceHeartbeat> ownRegionFirst(List<InstanceHeartbeat> candidates, String ownRegion) {
        List<InstanceHeartbeat> local = candidates.stream().filter(h -> ownRegion.equals(h.region())).toList();
        return local.isEmpty() ? candidates : local;
    }

    /** The host part of a heartbeat's {@code host:port} address. */
    private static String host(InstanceHeartbeat h) {
        int colon = h.address().lastIndexOf(':');
        return colon < 0 ? h.address() : h.address().substring(0, colon);
    }

    private Optional<InstanceHeartbeat> lessLoadedOfTwo(List<InstanceHeartbeat> pool) {
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        if (pool.size() == 1) {
            return Optional.of(pool.get(0));
        }
        InstanceHeartbeat a = pool.get(random.nextInt(pool.size()));
        InstanceHeartbeat b = pool.get(random.nextInt(pool.size()));
        return Optional.of(Comparator.comparingDouble(RelaySelector::load)
                .thenComparing(InstanceHeartbeat::instanceId)
                .compare(a, b) <= 0 ? a : b);
    }

    /** Load as a fraction of capacity; 1 or more means full. */
    private static double load(InstanceHeartbeat h) {
        return h.capacity() <= 0 ? 1.0 : (double) h.sessions() / h.capacity();
    }
}
