package dev.lifeline.operator.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.policy.BreakerState.State;
import dev.lifeline.operator.policy.Decision.Execution;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * The decision engine: observations, the spec, the previous state and a clock in; decisions and the next state out.
 * Pure and deterministic — no I/O, no Kubernetes or AWS clients, no CDI; the same inputs at the same clock instant
 * give the same output. One engine instance serves any number of platforms (it holds only the clock and settings).
 *
 * <p>One decision, for the operator of region {@code obs.localRegion()}:
 * <ol>
 *   <li><b>Breakers</b> of the local components take one sample per heartbeat interval. A sample is bad when fewer
 *       than half of the Deployment's desired replicas are ready (or none is), and for signaling also when the
 *       region's Route 53 health check (which probes signaling) is failing.</li>
 *   <li><b>Restarts</b>: pods crash-looping, OOM-killed or unready past {@link EngineSettings#unreadyGrace()} are
 *       restarted within the hourly budget, with backoff — unless the region's other component is unhealthy too (a
 *       regional problem that restarts do not fix; the breakers handle it). A spent budget opens the breaker.</li>
 *   <li><b>Quorum</b> ({@link QuorumPolicy}) decides which silent peers are down.</li>
 *   <li><b>Local reroute</b> ({@link ReroutePlanner}): a drain is due when a local breaker is open or the spec drains
 *       the region; it waits for the survivors' spare capacity (from their heartbeats) or the drain deadline. When
 *       the cause is gone and the region is healthy, the weight comes back in steps.</li>
 *   <li><b>Peer drains</b>: a peer that is down by quorum is drained by one region, the first agreeing voter in spec
 *       order (so only one operator changes that record), at most once per step interval while its weight is not 0.
 *       The peer's own operator restores its record when it comes back.</li>
 *   <li><b>Pre-scale</b> ({@link PreScalePlanner}, {@link HoltForecast}): the local media-server absorbs its share of
 *       the sessions of regions that are down, draining or drained; scale-up at once, scale-down stabilized.</li>
 *   <li><b>Pod deletion cost</b> ({@link DeletionCost}) of the local media-server pods from their sessions.</li>
 * </ol>
 * {@code spec.paused}: no remediation decision at all (only breaker transitions, which record what was observed);
 * restart, reroute and peer-drain state do not advance. {@code spec.dryRun}: every decision is marked
 * {@link Execution#DRY_RUN}, and the state advances as if it had been carried out, so that the recorded history shows
 * the whole plan (drain, then restore steps, ...); the observed DNS weight is not adopted in dry-run.
 *
 * <p>Not enforced here, on purpose: "never drain the last healthy region". The DNS API
 * ({@code dev.lifeline.operator.aws}) is the single guard that refuses such a change; the engine may emit it.
 */
public final class DecisionEngine {

    private final Clock clock;
    private final EngineSettings settings;

    public DecisionEngine(Clock clock) {
        this(clock, EngineSettings.DEFAULTS);
    }

    public DecisionEngine(Clock clock, EngineSettings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * Decides what to do now.
     *
     * @param obs what the caller observed
     * @param spec the platform spec (defaults apply to missing sub-objects)
     * @param previous the state returned by the previous decision, {@link EngineState#initial()} or
     *        {@link EngineState#fromStatus} on a fresh start
     * @throws IllegalArgumentException if the local region is not in the spec
     */
    public Decisions decide(Observations obs, RealtimePlatformSpec spec, EngineState previous) {
        Objects.requireNonNull(obs, "obs");
        Objects.requireNonNull(spec, "spec");
        EngineState prev = previous == null ? EngineState.initial() : previous;
        Instant now = clock.instant();
        if (prev.lastDecisionAt() != null && now.isBefore(prev.lastDecisionAt())) {
            now = prev.lastDecisionAt(); // time never runs backwards for the state machines
        }
        return new Run(obs, spec, prev, now).decide();
    }

    /** One decision's working set. */
    private final class Run {
        final Observations obs;
        final RealtimePlatformSpec spec;
        final EngineState prev;
        final Instant now;
        final String local;
        final EffectivePolicy policy;
        final Duration sampling;
        final boolean paused;
        final Execution mode;
        final Map<String, EffectivePolicy.Region> regionSpecs;
        final List<Decision> transitions = new ArrayList<>();
        final List<Decision> restarts = new ArrayList<>();
        final List<Decision> scaling = new ArrayList<>();
        final List<Decision> dns = new ArrayList<>();
        final List<Decision> costs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        RegionRoles roles;

        Run(Observations obs, RealtimePlatformSpec spec, EngineState prev, Instant now) {
            this.obs = obs;
            this.spec = spec;
            this.prev = prev;
            this.now = now;
            this.local = obs.localRegion();
            this.policy = EffectivePolicy.of(spec);
            this.sampling = policy.heartbeatInterval();
            this.paused = policy.paused();
            this.mode = policy.mode();
            this.regionSpecs = policy.regions();
            policy.requireRegion(local);
        }

        Decisions decide() {
            notes.addAll(policy.notes());
            DecisionInput in = new DecisionInput(obs, policy, settings, now);
            Samples samples = Samples.of(in);
            Breakers sampled = BreakerStep.sample(in, prev.breakers(), prev.lastSampleAt(), samples);
            RestartStep.Restarts restarted = RestartStep.plan(in, sampled, samples, prev.restarts());
            transitions.addAll(restarted.breakers().transitions());
            restarts.addAll(restarted.decisions());
            notes.addAll(restarted.notes());
            Map<Component, Boolean> goodNow = samples.good();
            Map<Component, BreakerState> breakers = restarted.breakers().states();
            Map<Component, Instant> lastSample = sampled.lastSampleAt();
            Map<Component, RestartBudget.State> budgets = restarted.budgets();

            QuorumPolicy.Verdict verdict = QuorumStep.evaluate(in);
            roles = RegionRoles.of(in, verdict);
            RerouteStep.LocalReroute rerouted = RerouteStep.plan(in, prev.reroute(), restarted.breakers(), samples,
                    roles, verdict, LocalSessions.of(in));
            dns.addAll(rerouted.decisions());
            notes.addAll(rerouted.notes());
            RerouteState reroute = rerouted.state();
            PeerDrainStep.PeerDrains peerDrains = PeerDrainStep.plan(in, prev.peerDrainsIssued(), verdict);
            dns.addAll(peerDrains.decisions());
            notes.addAll(peerDrains.notes());
            Map<String, Instant> issued = peerDrains.issued();

            // 6. pre-scale, 7. deletion cost
            HoltForecast forecast = updateForecast();
            Map<String, PeerPeak> peaks = peerPeaks();
            ScaleHistory history = preScale(verdict, reroute, forecast, peaks);
            deletionCosts();

            List<Decision> all = new ArrayList<>(transitions);
            all.addAll(restarts);
            all.addAll(scaling);
            all.addAll(dns);
            all.addAll(costs);
            EngineState next = new EngineState(now, breakers, lastSample, budgets, reroute, issued, forecast, history,
                    peaks);
            return new Decisions(now, all, next, reroute.phase(), reroute.weight(), health(breakers, goodNow, verdict),
                    verdict, notes);
        }

        // ---- pre-scale ------------------------------------------------------------------------------------------

        long localSessions() {
            Long known = knownLocalSessions();
            return known == null ? 0 : known;
        }

        /** The region's sessions, else the sum over pods that report theirs, else {@code null} (unknown). */
        Long knownLocalSessions() {
            RegionObservation lo = obs.regions().get(local);
            if (lo != null && lo.activeSessions() != null) {
                return Math.max(0, lo.activeSessions());
            }
            Long sum = null;
            ComponentObservation co = obs.components().get(Component.MEDIA_SERVER);
            if (co != null) {
                for (PodObservation p : co.pods()) {
                    if (p.activeSessions() != null) {
                        sum = (sum == null ? 0 : sum) + Math.max(0, p.activeSessions());
                    }
                }
            }
            return sum;
        }

        HoltForecast updateForecast() {
            HoltForecast f = prev.forecast();
            Long y = knownLocalSessions();
            if (y == null) {
                // an interval without a reading (the table was unreachable) is no evidence of zero sessions
                return f;
            }
            if (f == null) {
                return HoltForecast.start(now, y);
            }
            Duration every = settings.forecastSampling().compareTo(sampling) > 0 ? settings.forecastSampling() : sampling;
            return now.isBefore(f.at().plus(every)) ? f : f.update(now, y);
        }

        /** Each peer's most sessions over the scale-down window (see PeerPeak). */
        Map<String, PeerPeak> peerPeaks() {
            Map<String, PeerPeak> peaks = new LinkedHashMap<>();
            for (String r : regionSpecs.keySet()) {
                RegionObservation ro = obs.regions().get(r);
                PeerPeak before = prev.peerPeaks().get(r);
                if (r.equals(local) || ro == null || ro.activeSessions() == null) {
                    if (!r.equals(local) && before != null) {
                        peaks.put(r, before);
                    }
                    continue;
                }
                long reported = Math.max(0, ro.activeSessions());
                peaks.put(r, before == null ? new PeerPeak(reported, now)
                        : before.next(reported, now, settings.scaleDownStabilization()));
            }
            return peaks;
        }

        ScaleHistory preScale(QuorumPolicy.Verdict verdict, RerouteState reroute, HoltForecast forecast,
                Map<String, PeerPeak> peaks) {
            EffectivePolicy.MediaServer ms = policy.mediaServer();
            EffectivePolicy.PreScale ps = policy.preScale();
            long absorbed = 0;
            long survivorWeights = 0;
            for (String r : regionSpecs.keySet()) {
                if (roles.isSheddingPeer(r)) {
                    // its peak, not its latest reading: a failing region's relays stop reporting before it drains
                    PeerPeak peak = peaks.get(r);
                    absorbed += peak == null ? 0 : peak.sessions();
                }
                if (roles.isSurvivor(r)) {
                    survivorWeights += regionSpecs.get(r).weight();
                }
            }
            boolean localSheds = reroute.phase().shedsTraffic() || regionSpecs.get(local).drain();
            long share = localSheds ? 0
                    : PreScalePlanner.share(absorbed, regionSpecs.get(local).weight(), survivorWeights);
            Double predicted = null;
            if (ps.forecast() && forecast != null) {
                Duration horizon = ps.horizon();
                if (obs.podStartP99() != null) {
                    Duration h = obs.podStartP99().plus(settings.forecastBuffer());
                    horizon = h.compareTo(horizon) < 0 ? h : horizon;
                }
                predicted = forecast.forecast(horizon);
            }
            PreScalePlanner.Plan plan = PreScalePlanner.plan(localSessions(), share, predicted, ms.minReplicas(),
                    ms.maxReplicas(), ms.sessionsPerReplica(), ps.headroomPercent());
            Duration window = settings.scaleDownStabilization();
            ScaleHistory history = (prev.scaleHistory() == null ? ScaleHistory.start(now) : prev.scaleHistory())
                    .add(now, plan.desired(), window);
            ComponentObservation co = obs.components().get(Component.MEDIA_SERVER);
            if (co == null || paused) {
                return history;
            }
            int current = co.desiredReplicas();
            String basis = "own sessions " + localSessions() + (share > 0 ? " + share " + share + " of " + absorbed
                    + " sessions of draining/down regions" : "") + (predicted != null ? ", forecast "
                    + Math.round(predicted) : "") + ", " + ms.sessionsPerReplica() + " per replica, headroom "
                    + ps.headroomPercent() + "%";
            if (plan.desired() > current) {
                scaling.add(new Decision(new Action.ScaleTo(local, Component.MEDIA_SERVER, current, plan.desired()),
                        "media-server of " + local + " needs " + plan.desired() + " replicas (reactive "
                                + plan.reactiveReplicas() + ", predictive " + plan.predictiveReplicas() + ", max "
                                + ms.maxReplicas() + "): " + basis, mode));
            } else if (plan.desired() < current && history.covers(now, window)) {
                int to = Math.max(plan.desired(), history.stabilized(now, window));
                if (to < current) {
                    scaling.add(new Decision(new Action.ScaleTo(local, Component.MEDIA_SERVER, current, to),
                            "media-server of " + local + " needed at most " + to + " replicas for the last "
                                    + window.toSeconds() + " s: " + basis, mode));
                }
            }
            return history;
        }

        void deletionCosts() {
            if (paused) {
                return;
            }
            ComponentObservation co = obs.components().get(Component.MEDIA_SERVER);
            if (co == null) {
                return;
            }
            long q = DeletionCost.quantum(policy.mediaServer().sessionsPerReplica());
            for (PodObservation p : co.pods()) {
                if (p.activeSessions() == null || !DeletionCost.needsUpdate(p.deletionCost(), p.activeSessions(), q)) {
                    continue;
                }
                int cost = DeletionCost.cost(p.activeSessions(), q);
                costs.add(new Decision(new Action.SetPodDeletionCost(local, Component.MEDIA_SERVER, p.name(), cost),
                        "pod " + p.name() + " carries " + p.activeSessions() + " sessions", mode));
            }
        }

        // ---- health ---------------------------------------------------------------------------------------------

        Map<String, RegionHealth> health(Map<Component, BreakerState> breakers, Map<Component, Boolean> goodNow,
                QuorumPolicy.Verdict verdict) {
            Map<String, RegionHealth> out = new LinkedHashMap<>();
            for (String r : regionSpecs.keySet()) {
                RegionObservation ro = obs.regions().get(r);
                boolean r53Bad = ro != null && Boolean.FALSE.equals(ro.route53Healthy());
                RegionHealth h;
                if (r.equals(local)) {
                    boolean open = breakers.values().stream().anyMatch(b -> b.state() == State.OPEN);
                    boolean halfOpen = breakers.values().stream().anyMatch(b -> b.state() == State.HALF_OPEN);
                    boolean bad = goodNow.values().stream().anyMatch(Boolean.FALSE::equals);
                    boolean known = goodNow.values().stream().anyMatch(v -> v != null);
                    h = open ? RegionHealth.DOWN
                            : halfOpen || bad || r53Bad ? RegionHealth.DEGRADED
                            : known ? RegionHealth.HEALTHY : RegionHealth.UNKNOWN;
                } else if (verdict.isDown(r)) {
                    h = RegionHealth.DOWN;
                } else if (!verdict.live().contains(r)) {
                    h = RegionHealth.UNKNOWN;
                } else if (r53Bad || (ro != null && ro.phase() != null && ro.phase() != Phase.SERVING)) {
                    h = RegionHealth.DEGRADED;
                } else {
                    h = RegionHealth.HEALTHY;
                }
                out.put(r, h);
            }
            return out;
        }
    }
}
