package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/** Builders for specs and observations. */
final class Fixtures {

    static final String US = "us-east-1";
    static final String EU = "eu-west-1";
    static final String AP = "ap-south-1";

    private Fixtures() {
    }

    static RealtimePlatformSpec spec(String... regions) {
        RealtimePlatformSpec s = new RealtimePlatformSpec();
        for (String r : regions) {
            s.regions.add(new RegionSpec(r, 100));
        }
        s.sessionStore.homeRegion = regions[0];
        return s;
    }

    static List<PodObservation> healthyPods(String prefix, int n, long sessionsEach) {
        List<PodObservation> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(new PodObservation(prefix + "-" + i, true, null, false, false, sessionsEach,
                    DeletionCost.cost(sessionsEach, DeletionCost.quantum(500))));
        }
        return pods;
    }

    /** A region whose service is gone: its instances silent, its endpoints unanswered, Route 53 failing it. */
    static final ServiceEvidence SERVICE_DOWN = new ServiceEvidence(ServiceSignal.SILENT, ServiceSignal.SILENT,
            ServiceSignal.SILENT);
    /** A region whose service still runs: its relays heartbeat and answer, Route 53 passes it. */
    static final ServiceEvidence SERVICE_ALIVE = new ServiceEvidence(ServiceSignal.ANSWERS, ServiceSignal.ANSWERS,
            ServiceSignal.ANSWERS);

    /** Mutable builder of one snapshot, for the local region and its peers. */
    static final class Snapshot {
        final String local;
        final Map<Component, ComponentObservation> components = new HashMap<>();
        final Map<String, RegionObservation> regions = new LinkedHashMap<>();

        Snapshot(String local) {
            this.local = local;
        }

        Snapshot component(Component c, int desired, int ready, List<PodObservation> pods) {
            components.put(c, new ComponentObservation(desired, ready, pods));
            return this;
        }

        Snapshot healthyLocal(int replicas, long sessionsPerPod) {
            component(Component.MEDIA_SERVER, replicas, replicas, healthyPods("media", replicas, sessionsPerPod));
            component(Component.SIGNALING, 2, 2, healthyPods("sig", 2, 0).stream()
                    .map(p -> new PodObservation(p.name(), true, null, false, false, null, null)).toList());
            return this;
        }

        Snapshot region(String name, Instant heartbeat, Phase phase, Long sessions, Long capacity,
                Map<String, Instant> view, Boolean r53, Integer weight) {
            regions.put(name, new RegionObservation(name, heartbeat, phase, sessions, capacity, view, r53, weight));
            return this;
        }

        /** The region (added before) with this data-plane evidence, as gathered while its operator is silent. */
        Snapshot service(String name, ServiceEvidence evidence) {
            RegionObservation r = regions.get(name);
            regions.put(name, new RegionObservation(name, r.lastHeartbeat(), r.phase(), r.activeSessions(),
                    r.capacity(), r.peerView(), r.route53Healthy(), r.dnsWeight(), evidence));
            return this;
        }

        /**
         * The region (added before) as this region's failure detector and the region's own published vote see it:
         * {@code suspicion} null = no history here; {@code suspects} null = publishes no vote.
         */
        Snapshot detected(String name, Suspicion suspicion, java.util.Set<String> suspects) {
            RegionObservation r = regions.get(name);
            regions.put(name, new RegionObservation(name, r.lastHeartbeat(), r.phase(), r.activeSessions(),
                    r.capacity(), r.peerView(), r.route53Healthy(), r.dnsWeight(), r.service(), suspicion, suspects));
            return this;
        }

        /** Every listed region heartbeats at {@code now} and sees every other one at {@code now}. */
        Snapshot allAlive(Instant now, List<String> names, long sessionsEach, long capacityEach) {
            for (String r : names) {
                Map<String, Instant> view = new HashMap<>();
                for (String o : names) {
                    view.put(o, now);
                }
                region(r, now, Phase.SERVING, sessionsEach, capacityEach, view, true, 100);
            }
            return this;
        }

        Observations build() {
            return new Observations(local, components, regions, null);
        }
    }
}
