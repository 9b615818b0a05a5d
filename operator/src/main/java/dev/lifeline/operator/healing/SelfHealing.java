package dev.lifeline.operator.healing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.health.EndpointProbe;
import dev.lifeline.operator.health.PeerService;
import dev.lifeline.operator.health.PeerDetectors;
import dev.lifeline.operator.policy.EffectivePolicy;
import dev.lifeline.operator.policy.Suspicion;
import dev.lifeline.operator.policy.ServiceEvidence;
import dev.lifeline.operator.policy.ServiceSignal;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.health.CoordinationStore;
import dev.lifeline.operator.health.InstanceHeartbeatRead;
import dev.lifeline.operator.health.OperatorHeartbeat;
import dev.lifeline.operator.health.PodSignals;
import dev.lifeline.operator.health.PodStartTimes;
import dev.lifeline.operator.health.RegionLoad;
import dev.lifeline.operator.health.SignalCollector;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.policy.DecisionEngine;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.api.Component;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One self-healing step of a platform, gather and decide: read the signals (the workloads' pods, the
 * peers' and this region's relays' heartbeats, a drill asked for), let the pure decision engine decide,
 * publish this region's heartbeat. It acts on nothing else: carrying the decisions out, and any Event,
 * is the reconciler's act steps' job.
 */
@ApplicationScoped
public class SelfHealing {

    private static final Logger LOG = Logger.getLogger(SelfHealing.class);

    private final CoordinationStore coordination;
    private final PlatformMemory memory;
    private final SelfHealingMetrics metrics;
    private final Drills drills;
    private final AwsResources aws;
    private final EndpointProbe probe;
    private final PeerDetectors detectors;
    private final HeartbeatLoop loop;
    private final Clock clock = Clock.systemUTC();
    private final DecisionEngine engine = new DecisionEngine(clock);

    public SelfHealing(CoordinationStore coordination, PlatformMemory memory, SelfHealingMetrics metrics,
            Drills drills, AwsResources aws, EndpointProbe probe, PeerDetectors detectors, HeartbeatLoop loop) {
        this.detectors = detectors;
        this.loop = loop;
        this.coordination = coordination;
        this.memory = memory;
        this.metrics = metrics;
        this.drills = drills;
        this.aws = aws;
        this.probe = probe;
    }

    /**
     * The outcome of one step. {@code coordinationProblem} is set when the table could not be read or written;
     * {@code drillStarted} is a drill the annotation started in this step, for the act side to announce.
     */
    public record Step(Decisions decisions, Optional<String> coordinationProblem, Optional<DrillStatus> drillStarted) {
    }

    public Step decide(RealtimePlatform platform, String region, Optional<Deployment> media,
            Optional<Deployment> signaling, Collection<Pod> pods, Integer localDnsWeight, Boolean localRoute53Healthy) {
        Instant now = clock.instant();
        String table = platform.getSpec().sessionStore.tableName;
        List<String> problems = new ArrayList<>();
        // An operator heartbeat has one kind of reader: the operators of the platform's other regions. A platform
        // with no other region has none, so its heartbeat is neither read nor written (a thousand single-region
        // platforms would otherwise cost the table 500 writes/s while nothing changes).
        boolean hasPeers = platform.getSpec().regions.stream().anyMatch((RegionSpec r) -> !r.name.equals(region));
        Map<String, OperatorHeartbeat> heartbeats = hasPeers ? peerHeartbeats(platform, table, region, problems)
                : Map.of();
        PlatformKey key = PlatformKey.of(platform);
        EffectivePolicy.Detection detection = EffectivePolicy.of(platform.getSpec()).detection();
        if (hasPeers) {
            loop.watch(platform, region); // sub-second heartbeats and suspicion between the steps
            if (!loop.feedsDetectors(key)) {
                detectors.observe(key, region, heartbeats, now, detection);
            }
        } else {
            loop.unwatch(key);
        }
        Map<String, Suspicion> suspicions = detectors.suspicions(key, now, detection.phiThreshold());
        Optional<RegionLoad> load = regionLoad(platform, table, region, now, problems);
        EngineState previous = memory.state(platform)
                .orElseGet(() -> EngineState.fromStatus(localBreakers(platform, region), now));
        Phase phase = memory.latest(platform.getMetadata().getNamespace(), platform.getMetadata().getName())
                .map(Decisions::localPhase).orElse(Phase.SERVING);
        Map<String, Long> sessionsByPod = load.map(RegionLoad::sessionsByPod).orElse(Map.of());
        Observations observations = SignalCollector.observations(region, platform.getSpec(),
                PodSignals.observe(media, podsOf(pods, Component.MEDIA_SERVER), sessionsByPod,
                        load.map(RegionLoad::reportsByPod).orElse(Map.of())),
                PodSignals.observe(signaling, podsOf(pods, Component.SIGNALING), Map.of()),
                heartbeats, load, phase, localDnsWeight, localRoute53Healthy,
                peerServices(platform, table, region, heartbeats, suspicions, now), suspicions, now);
        // Scale ahead by as long as a media-server pod takes to serve; and any drill of this region.
        Drills.Begun drill = drills.begin(platform, region, now);
        observations = new Observations(observations.localRegion(), observations.components(), observations.regions(),
                PodStartTimes.p99(podsOf(pods, Component.MEDIA_SERVER)).orElse(null), drill.active().orElse(null));

        Decisions decisions = engine.decide(observations, platform.getSpec(), previous);
        memory.remember(platform, decisions, observations);
        metrics.record(platform, region, decisions);
        metrics.recordDetection(platform, observations, previous, decisions);

        // The loop writes the heartbeat on a steady beat; a step writes it only with news (a new phase) or when the
        // loop has not written lately. Extra writes at the steps' times would make the arrivals the peers' detectors
        // learn irregular, and an irregular history suspects a silent region later.
        if (hasPeers && loop.stepShouldPublish(key, phase != decisions.localPhase(), now)) {
            publishHeartbeat(platform, table, region, decisions, load, heartbeats, suspicions, now, problems);
        }
        Optional<String> problem = problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        problem.ifPresent(p -> LOG.warnf("%s: %s", PlatformKey.of(platform), p));
        return new Step(decisions, problem, drill.started());
    }

    /**
     * A new leader's first word (after a crash or a rollout of the previous one): this region's heartbeat again, now,
     * before the first full step, whose AWS reads take seconds in a fresh process. It carries the phase and load the
     * previous leader last published and this replica's fresh view of the peers; the full step follows with its own.
     * Nothing is written when this process has stepped the platform before, or when the region's heartbeat is
     * already stale (no leader to take over from: the peers have seen it silent, and the full step says more).
     *
     * @return whether a heartbeat was written
     */
    public boolean resumeHeartbeat(RealtimePlatform platform, String region) {
        if (memory.state(platform).isPresent()) {
            return false;
        }
        Instant now = clock.instant();
        String table = platform.getSpec().sessionStore.tableName;
        Duration staleAfter = Duration.ofSeconds(platform.getSpec().failover.staleAfterSeconds);
        List<String> problems = new ArrayList<>();
        Map<String, OperatorHeartbeat> heartbeats = peerHeartbeats(platform, table, region, problems);
        OperatorHeartbeat previous = heartbeats.get(region);
        if (previous == null || now.isAfter(previous.at().plus(staleAfter))) {
            return false;
        }
        try {
            coordination.publish(table, region, new OperatorHeartbeat(region, clock.instant(), previous.phase(),
                    previous.activeSessions(), previous.capacity(),
                    SignalCollector.peerView(region, platform.getSpec(), heartbeats)));
            LOG.infof("%s: resumed %s's heartbeat as the new leader (the previous one was %d ms old)",
                    PlatformKey.of(platform), region, Duration.between(previous.at(), now).toMillis());
            return true;
        } catch (RuntimeException e) {
            // The full step right after writes the heartbeat again and reports a table it cannot write.
            LOG.warnf("%s: could not resume %s's heartbeat: %s", PlatformKey.of(platform), region, e.getMessage());
            return false;
        }
    }

    /**
     * A standby replica reads the heartbeats once, as {@link #resumeHeartbeat} will when it takes over: its first
     * session-table call in a fresh process costs a second or more (the AWS SDK's first request), which then is not
     * spent inside the peers' stale-after window. Reads only; a failure is of no consequence.
     */
    public void warmUp(RealtimePlatform platform, String region) {
        List<String> ignored = new ArrayList<>();
        peerHeartbeats(platform, platform.getSpec().sessionStore.tableName, region, ignored);
    }

    /** The latest operator heartbeat of each of the platform's regions; none when the table cannot be read. */
    private Map<String, OperatorHeartbeat> peerHeartbeats(RealtimePlatform platform, String table, String region,
            List<String> problems) {
        List<String> regions = platform.getSpec().regions.stream().map((RegionSpec r) -> r.name).toList();
        try {
            return coordination.read(table, region, regions);
        } catch (RuntimeException e) {
            problems.add("Reading the peers' heartbeats from table " + table + " failed: " + e.getMessage());
            return Map.of();
        }
    }

    /**
     * The data plane of each peer whose operator heartbeat is stale or suspected here, from signals its operator does
     * not write: its instances' heartbeats (silent when none is fresher than three of their intervals), Route 53's
     * health check of its endpoint, and a direct probe of its endpoints. Peers with a fresh, unsuspected heartbeat
     * are not probed, so steady state costs nothing.
     */
    private Map<String, ServiceEvidence> peerServices(RealtimePlatform platform, String table, String region,
            Map<String, OperatorHeartbeat> heartbeats, Map<String, Suspicion> suspicions, Instant now) {
        EffectivePolicy policy = EffectivePolicy.of(platform.getSpec());
        Map<String, ServiceEvidence> evidence = new LinkedHashMap<>();
        for (RegionSpec peer : platform.getSpec().regions) {
            OperatorHeartbeat heartbeat = heartbeats.get(peer.name);
            Suspicion suspicion = suspicions.get(peer.name);
            boolean fresh = heartbeat != null && !now.isAfter(heartbeat.at().plus(policy.staleAfter()));
            if (peer.name.equals(region) || (fresh && (suspicion == null || !suspicion.suspected()))) {
                continue;
            }
            // Merely suspected (not stale): while its instances heartbeat, its service is alive and nothing else
            // needs asking; the probe and Route 53 are asked once they fall silent, at the next look.
            boolean suspectedOnly = fresh;
            // Since when the peer is silent here: what Route 53 saw before then is no evidence of its service now.
            Instant silentSince = suspicion != null ? now.minus(suspicion.silentFor())
                    : heartbeat != null ? heartbeat.at() : Instant.MIN;
            ServiceEvidence gathered = peerService(platform, table, region, peer, now,
                    policy.detection().instancesStaleAfter(), suspectedOnly, silentSince);
            evidence.put(peer.name, gathered);
            if (suspectedOnly) {
                // Bounded: a peer is suspected-only for at most staleAfterSeconds. The timeline of a detection.
                LOG.infof("%s: %s suspected (%s); its service: %s", PlatformKey.of(platform), peer.name,
                        suspicion.describe(), gathered);
            }
        }
        return evidence;
    }

    private ServiceEvidence peerService(RealtimePlatform platform, String table, String region, RegionSpec peer,
            Instant now, Duration staleAfter, boolean instancesSuffice, Instant silentSince) {
        ServiceSignal instances;
        List<InetSocketAddress> relays;
        try {
            List<InstanceHeartbeat> written = coordination.readInstances(table, peer.name).heartbeats();
            instances = PeerService.instances(written, now, staleAfter);
            relays = PeerService.relayAddresses(written);
        } catch (RuntimeException e) {
            instances = ServiceSignal.UNKNOWN; // the table is unreadable from here: no verdict either way
            relays = List.of();
        }
        if (instancesSuffice && instances == ServiceSignal.ANSWERS) {
            return new ServiceEvidence(instances, ServiceSignal.UNKNOWN, ServiceSignal.UNKNOWN);
        }
        AwsResources.PeerEndpoint endpoint = aws.peerEndpoint(platform, peer.name, silentSince);
        String target = peer.endpoint != null ? peer.endpoint : endpoint.target();
        var healthCheck = platform.getSpec().dns.healthCheck;
        EndpointProbe.Target probeTarget = new EndpointProbe.Target(healthCheck == null ? null
                : PeerService.signalingHealth(target, healthCheck.port, healthCheck.path), relays);
        ServiceSignal probed = probeTarget.isEmpty() ? ServiceSignal.UNKNOWN
                : ServiceSignal.of(probe.anyAnswers(probeTarget));
        ServiceEvidence result = new ServiceEvidence(instances, ServiceSignal.of(endpoint.route53Healthy()), probed);
        LOG.debugf("%s: %s's operator is silent; seen from %s: %s", PlatformKey.of(platform), peer.name, region,
                result);
        return result;
    }

    /** This region's sessions and capacity from its relays' heartbeats; unknown (not zero) when unreadable. */
    private Optional<RegionLoad> regionLoad(RealtimePlatform platform, String table, String region, Instant now,
            List<String> problems) {
        try {
            InstanceHeartbeatRead instances = coordination.readInstances(table, region);
            RegionLoad load = RegionLoad.of(instances.heartbeats(), now,
                    Duration.ofSeconds(platform.getSpec().failover.staleAfterSeconds));
            metrics.recordLoad(platform, region, load, instances.malformed().size());
            return Optional.of(load);
        } catch (RuntimeException e) {
            // Unknown load, not zero: the heartbeat leaves sessions out and the engine's forecast skips this interval.
            problems.add("Reading this region's instance heartbeats from table " + table + " failed: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    /** This region's heartbeat for the peers: its phase, load and view of them. */
    private void publishHeartbeat(RealtimePlatform platform, String table, String region, Decisions decisions,
            Optional<RegionLoad> load, Map<String, OperatorHeartbeat> heartbeats, Map<String, Suspicion> suspicions,
            Instant now, List<String> problems) {
        try {
            coordination.publish(table, region, new OperatorHeartbeat(region, now, decisions.localPhase(),
                    load.map(RegionLoad::sessions).orElse(null), load.map(RegionLoad::capacity).orElse(null),
                    SignalCollector.peerView(region, platform.getSpec(), heartbeats), suspected(suspicions)));
            loop.stepPublished(PlatformKey.of(platform), now);
        } catch (RuntimeException e) {
            problems.add("Writing this region's heartbeat to table " + table + " failed: " + e.getMessage());
        }
    }

    private static java.util.Set<String> suspected(Map<String, Suspicion> suspicions) {
        return suspicions.entrySet().stream().filter(e -> e.getValue().suspected()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static List<BreakerStatus> localBreakers(RealtimePlatform platform, String region) {
        if (platform.getStatus() == null) {
            return List.of();
        }
        return platform.getStatus().regions.stream().filter(r -> region.equals(r.name)).findFirst()
                .map(r -> r.breakers).orElse(List.of());
    }

    private static List<Pod> podsOf(Collection<Pod> pods, Component component) {
        return pods.stream().filter(p -> p.getMetadata().getLabels() != null
                && component.label().equals(p.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
    }
}
