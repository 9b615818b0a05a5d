package dev.lifeline.operator.policy;

import dev.lifeline.operator.api.Component;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the engine looks at in one decision, gathered by the caller (informers, the session table, Route 53).
 * Plain immutable data; {@code null} means "not known" wherever a field is a boxed type.
 *
 * @param localRegion the region this operator runs in (must be one of {@code spec.regions})
 * @param components the local region's workloads, from the informer caches; a missing component is not sampled
 * @param regions every region's row in the session table and Route 53 (the local region included, for its DNS
 *        weight, Route 53 health and active sessions), keyed by region name
 * @param podStartP99 the measured p99 time from pod creation to ready, or {@code null}; sets the forecast horizon
 * @param drill a failover drill of the local region in progress, or {@code null}
 */
public record Observations(String localRegion, Map<Component, ComponentObservation> components,
        Map<String, RegionObservation> regions, Duration podStartP99, Drill drill) {

    public Observations {
        Objects.requireNonNull(localRegion, "localRegion");
        components = components == null ? Map.of() : Map.copyOf(components);
        regions = regions == null ? Map.of() : Map.copyOf(regions);
    }

    public Observations(String localRegion, Map<Component, ComponentObservation> components,
            Map<String, RegionObservation> regions, Duration podStartP99) {
        this(localRegion, components, regions, podStartP99, null);
    }

    /** A drill drains the local region on purpose until {@code until}; then its weight comes back in steps. */
    public record Drill(String id, Instant until) {
        public Drill {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * One Deployment of the local region.
     *
     * @param desiredReplicas {@code spec.replicas} of the Deployment
     * @param readyReplicas {@code status.readyReplicas}
     * @param pods its pods
     */
    public record ComponentObservation(int desiredReplicas, int readyReplicas, List<PodObservation> pods) {
        public ComponentObservation {
            pods = pods == null ? List.of() : List.copyOf(pods);
        }
    }

    /**
     * One pod.
     *
     * @param ready the pod's Ready condition
     * @param unreadySince when the Ready condition last became false ({@code lastTransitionTime}), or {@code null}
     * @param crashLooping a container is waiting in CrashLoopBackOff
     * @param oomKilled a container's last termination was OOMKilled (counts for a restart only while not ready)
     * @param activeSessions sessions it carries, from its instance heartbeat, or {@code null}
     * @param deletionCost current {@code controller.kubernetes.io/pod-deletion-cost} annotation, or {@code null}
     * @param relay what its fresh instance heartbeat says (full or draining, loss, lag); {@link RelayReport#NONE}
     *        without one
     */
    public record PodObservation(String name, boolean ready, Instant unreadySince, boolean crashLooping,
            boolean oomKilled, Long activeSessions, Integer deletionCost, RelayReport relay) {
        public PodObservation {
            Objects.requireNonNull(name, "name");
            relay = relay == null ? RelayReport.NONE : relay;
        }

        /** A pod without an instance heartbeat. */
        public PodObservation(String name, boolean ready, Instant unreadySince, boolean crashLooping,
                boolean oomKilled, Long activeSessions, Integer deletionCost) {
            this(name, ready, unreadySince, crashLooping, oomKilled, activeSessions, deletionCost, RelayReport.NONE);
        }

        /** A pod whose instance heartbeat says only whether it is busy. */
        public PodObservation(String name, boolean ready, Instant unreadySince, boolean crashLooping,
                boolean oomKilled, Long activeSessions, Integer deletionCost, Busy busy) {
            this(name, ready, unreadySince, crashLooping, oomKilled, activeSessions, deletionCost,
                    RelayReport.of(busy));
        }

        /**
         * Running, its startup probe not passed yet: the kubelet is its judge. PodSignals gives such a pod no unready
         * time (and a crash-looping pod is not starting: it is waiting in back-off).
         */
        public boolean starting() {
            return !ready && unreadySince == null && !crashLooping;
        }

        /** Full or draining, as its heartbeat says. */
        public Busy busy() {
            return relay.busy();
        }
    }

    /**
     * One region as seen from here.
     *
     * @param lastHeartbeat the region operator's latest heartbeat as read from the local table replica (ignored
     *        for the local region)
     * @param phase the reroute phase the region's operator published with that heartbeat, or {@code null}
     * @param activeSessions the region's active sessions (sum of its instance heartbeats), or {@code null}
     * @param capacity sessions the region can carry at its ready replicas, or {@code null}
     * @param peerView the region's published view: region → last heartbeat it has seen (used for quorum)
     * @param route53Healthy the status of the region's Route 53 health check, or {@code null}
     * @param dnsWeight the current weight of the region's Route 53 record, or {@code null}
     * @param service the peer's data plane as seen from outside its operator, gathered only while its operator
     *        heartbeat is stale or suspected here; {@code null} when not gathered (every signal unknown)
     * @param suspicion this region's failure detector on the peer's operator heartbeat; {@code null} while it has no
     *        history (a fresh process: only the stale-after rule judges the peer)
     * @param suspects the peers the region's own detector suspected when it wrote its heartbeat (its vote); {@code null}
     *        when it publishes none (an operator of an earlier version: its view is judged by the stale-after rule)
     */
    public record RegionObservation(String name, Instant lastHeartbeat, Phase phase, Long activeSessions,
            Long capacity, Map<String, Instant> peerView, Boolean route53Healthy, Integer dnsWeight,
            ServiceEvidence service, Suspicion suspicion, Set<String> suspects) {
        public RegionObservation {
            Objects.requireNonNull(name, "name");
            peerView = peerView == null ? null : Map.copyOf(peerView);
            suspects = suspects == null ? null : Set.copyOf(suspects);
        }

        /** A region row without a detector's view of it (as before failure detection). */
        public RegionObservation(String name, Instant lastHeartbeat, Phase phase, Long activeSessions,
                Long capacity, Map<String, Instant> peerView, Boolean route53Healthy, Integer dnsWeight,
                ServiceEvidence service) {
            this(name, lastHeartbeat, phase, activeSessions, capacity, peerView, route53Healthy, dnsWeight, service,
                    null, null);
        }

        /** Whether this region's detector suspects the region's operator now. */
        public boolean suspected() {
            return suspicion != null && suspicion.suspected();
        }

        /** A region row without data-plane evidence (the operator heartbeat of the region is fresh, or not gathered). */
        public RegionObservation(String name, Instant lastHeartbeat, Phase phase, Long activeSessions,
                Long capacity, Map<String, Instant> peerView, Boolean route53Healthy, Integer dnsWeight) {
            this(name, lastHeartbeat, phase, activeSessions, capacity, peerView, route53Healthy, dnsWeight, null);
        }

        /** The data-plane evidence, every signal unknown when none was gathered. */
        public ServiceEvidence serviceOrUnknown() {
            return service == null ? ServiceEvidence.UNKNOWN : service;
        }
    }
}
