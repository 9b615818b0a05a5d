package dev.lifeline.operator.health;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.policy.ServiceEvidence;
import dev.lifeline.operator.policy.Suspicion;

/**
 * Pure: the decision engine's observations from the local components (informer caches), the local
 * relays' heartbeats and every region's operator heartbeat (the session table). The local region's own
 * entry is "alive now", with the phase it last decided, its record's weight as the DNS side reported
 * it, and its load as its relays report it this interval (not as its own previous heartbeat said).
 */
public final class SignalCollector {

    private SignalCollector() {
    }

    public static Observations observations(String localRegion, RealtimePlatformSpec spec,
            Optional<ComponentObservation> mediaServer, Optional<ComponentObservation> signaling,
            Map<String, OperatorHeartbeat> heartbeats, Optional<RegionLoad> localLoad, Phase localPhase,
            Integer localDnsWeight, Boolean localRoute53Healthy, Instant now) {
        return observations(localRegion, spec, mediaServer, signaling, heartbeats, localLoad, localPhase,
                localDnsWeight, localRoute53Healthy, Map.of(), now);
    }

    /** As above, with the data-plane evidence gathered of the peers whose operator is silent. */
    public static Observations observations(String localRegion, RealtimePlatformSpec spec,
            Optional<ComponentObservation> mediaServer, Optional<ComponentObservation> signaling,
            Map<String, OperatorHeartbeat> heartbeats, Optional<RegionLoad> localLoad, Phase localPhase,
            Integer localDnsWeight, Boolean localRoute53Healthy, Map<String, ServiceEvidence> peerServices,
            Instant now) {
        return observations(localRegion, spec, mediaServer, signaling, heartbeats, localLoad, localPhase,
                localDnsWeight, localRoute53Healthy, peerServices, Map.of(), now);
    }

    /**
     * As above, with this region's failure detector on each peer ({@code suspicions}; a peer without one has no
     * history here yet) and each peer's published vote (the suspects in its heartbeat).
     */
    public static Observations observations(String localRegion, RealtimePlatformSpec spec,
            Optional<ComponentObservation> mediaServer, Optional<ComponentObservation> signaling,
            Map<String, OperatorHeartbeat> heartbeats, Optional<RegionLoad> localLoad, Phase localPhase,
            Integer localDnsWeight, Boolean localRoute53Healthy, Map<String, ServiceEvidence> peerServices,
            Map<String, Suspicion> suspicions, Instant now) {
        Map<Component, ComponentObservation> components = new EnumMap<>(Component.class);
        mediaServer.ifPresent(m -> components.put(Component.MEDIA_SERVER, m));
        signaling.ifPresent(s -> components.put(Component.SIGNALING, s));

        Map<String, RegionObservation> regions = new LinkedHashMap<>();
        for (RegionSpec region : spec.regions) {
            OperatorHeartbeat heartbeat = heartbeats.get(region.name);
            if (region.name.equals(localRegion)) {
                regions.put(region.name, new RegionObservation(region.name, now, localPhase,
                        localLoad.map(RegionLoad::sessions).orElse(null), localLoad.map(RegionLoad::capacity).orElse(null),
                        peerView(localRegion, spec, heartbeats), localRoute53Healthy, localDnsWeight));
            } else if (heartbeat != null) {
                regions.put(region.name, new RegionObservation(region.name, heartbeat.at(), heartbeat.phase(),
                        heartbeat.activeSessions(), heartbeat.capacity(), heartbeat.peerView(), null, null,
                        peerServices.get(region.name), suspicions.get(region.name), heartbeat.suspects()));
            } else {
                regions.put(region.name, new RegionObservation(region.name, null, null, null, null, null, null, null,
                        peerServices.get(region.name), suspicions.get(region.name), null));
            }
        }
        return new Observations(localRegion, components, regions, null);
    }

    /** When this region last saw each peer: the time in the peer's own latest heartbeat. */
    public static Map<String, Instant> peerView(String localRegion, RealtimePlatformSpec spec,
            Map<String, OperatorHeartbeat> heartbeats) {
        return peerView(localRegion, spec.regions.stream().map((RegionSpec r) -> r.name).toList(), heartbeats);
    }

    /** As above, for the regions named. */
    public static Map<String, Instant> peerView(String localRegion, List<String> regions,
            Map<String, OperatorHeartbeat> heartbeats) {
        Map<String, Instant> view = new HashMap<>();
        for (String region : regions) {
            OperatorHeartbeat heartbeat = heartbeats.get(region);
            if (!region.equals(localRegion) && heartbeat != null) {
                view.put(region, heartbeat.at());
            }
        }
        return view;
    }
}
