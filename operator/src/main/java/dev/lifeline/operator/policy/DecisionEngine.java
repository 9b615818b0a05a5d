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
        final BreakerPolicy breakerPolicy;
        final RestartPolicy restartPolicy;
        final ReroutePolicy reroutePolicy;
        final Duration sampling;
        final Duration staleAfter;
        final boolean paused;
        final Execution mode;
        final Map<String, EffectivePolicy.Region> regionSpecs;
        final List<Decision> transitions = new ArrayList<>();
        final List<Decision> restarts = new ArrayList<>();
        final List<Decision> scaling = new ArrayList<>();
        final List<Decision> dns = new ArrayList<>();
        final List<Decision> costs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Run(Observations obs, RealtimePlatformSpec spec, EngineState prev, Instant now) {
            this.obs = obs;
            this.spec = spec;
            this.prev = prev;
            this.now = now;
            this.local = obs.localRegion();
            this.policy = EffectivePolicy.of(spec);
            this.breakerPolicy = policy.breaker();
            this.restartPolicy = policy.restart();
            this.reroutePolicy = policy.reroute();
            this.sampling = policy.heartbeatInterval();
            this.staleAfter = policy.staleAfter();
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

            // 3. quorum
            QuorumPolicy.Verdict verdict = quorum();

            // 4. local reroute
            RegionObservation lo = obs.regions().get(local);
            RerouteState reroute = localReroute(lo, breakers, goodNow, verdict);

            // 5. peer drains
            Map<String, Instant> issued = peerDrains(verdict);

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

        // ---- quorum ---------------------------------------------------------------------------------------------

        QuorumPolicy.Verdict quorum() {
            List<String> names = new ArrayList<>(regionSpecs.keySet());
            Map<String, Instant> localView = new LinkedHashMap<>();
            Map<String, Map<String, Instant>> peerViews = new LinkedHashMap<>();
            for (String r : names) {
                RegionObservation ro = obs.regions().get(r);
                if (r.equals(local)) {
                    localView.put(r, now);
                } else if (ro != null) {
                    if (ro.lastHeartbeat() != null) {
                        localView.put(r, ro.lastHeartbeat());
                    }
                    if (ro.peerView() != null) {
                        peerViews.put(r, ro.peerView());
                    }
                }
            }
            return QuorumPolicy.evaluate(now, names, local, localView, peerViews, staleAfter, policy.quorum());
        }

        // ---- reroute --------------------------------------------------------------------------------------------

        RerouteState localReroute(RegionObservation lo, Map<Component, BreakerState> breakers,
                Map<Component, Boolean> goodNow, QuorumPolicy.Verdict verdict) {
            EffectivePolicy.Region rs = regionSpecs.get(local);
            int target = Math.max(0, rs.weight());
            Integer observed = lo == null ? null : lo.dnsWeight();
            RerouteState state = prev.reroute() != null ? prev.reroute() : initialReroute(target, observed);
            if (paused) {
                return state;
            }
            ReroutePlanner.DrainRequest drain = null;
            if (rs.drain()) {
                drain = new ReroutePlanner.DrainRequest(DrainCause.SPEC_DRAIN,
                        "spec.regions[" + local + "].drain is true (manual failover)");
            } else if (obs.drill() != null && now.isBefore(obs.drill().until())) {
                drain = new ReroutePlanner.DrainRequest(DrainCause.DRILL,
                        "failover drill " + obs.drill().id() + " drains " + local + " until " + obs.drill().until());
            } else {
                for (Component c : Component.values()) {
                    BreakerState b = breakers.get(c);
                    if (b.state() == State.OPEN) {
                        drain = new ReroutePlanner.DrainRequest(DrainCause.BREAKER_OPEN,
                                c + " breaker of " + local + " open since " + b.since());
                        break;
                    }
                }
            }
            boolean healthy = true;
            for (Component c : Component.values()) {
                if (breakers.get(c).state() != State.CLOSED || Boolean.FALSE.equals(goodNow.get(c))) {
                    healthy = false;
                }
            }
            if (lo != null && Boolean.FALSE.equals(lo.route53Healthy())) {
                healthy = false;
            }
            long ownSessions = localSessions();
            long spare = 0;
            for (String r : regionSpecs.keySet()) {
                if (!r.equals(local) && isSurvivor(r, verdict)) {
                    RegionObservation ro = obs.regions().get(r);
                    if (ro != null && ro.capacity() != null) {
                        long s = ro.activeSessions() == null ? 0 : ro.activeSessions();
                        spare += Math.max(0, ro.capacity() - s);
                    }
                }
            }
            boolean mayRestoreExternal = !verdict.isolated()
                    && (regionSpecs.size() <= 2 || verdict.quorumSeesUp(local));
            ReroutePlanner.Input in = new ReroutePlanner.Input(target, drain, healthy, spare >= ownSessions, observed,
                    mode == Execution.APPLY, mayRestoreExternal);
            ReroutePlanner.Step step = ReroutePlanner.tick(local, state, now, in, reroutePolicy);
            if (step.action().isPresent()) {
                dns.add(new Decision(step.action().get(), step.reason(), mode));
            } else if (step.reason() != null) {
                notes.add(step.reason());
            }
            return step.state();
        }

        RerouteState initialReroute(int target, Integer observed) {
            if (observed == null || observed >= target || observed == 0) {
                // observed 0 is adopted by the planner as an external drain on the first tick
                return RerouteState.serving(target, now);
            }
            int k = 0;
            while (k < reroutePolicy.steps() && reroutePolicy.stepWeight(target, k + 1) <= observed) {
                k++;
            }
            return new RerouteState(Phase.RESTORING, observed, now, now, Math.max(k, 1), 0, null);
        }

        /** A region that can take traffic: live (or local), not down, not draining, with weight. */
        boolean isSurvivor(String r, QuorumPolicy.Verdict verdict) {
            EffectivePolicy.Region rs = regionSpecs.get(r);
            if (rs == null || rs.weight() <= 0 || rs.drain() || verdict.isDown(r)) {
                return false;
            }
            if (r.equals(local)) {
                return true;
            }
            if (!verdict.live().contains(r)) {
                return false;
            }
            RegionObservation ro = obs.regions().get(r);
            return ro == null || ro.phase() == null || !ro.phase().shedsTraffic();
        }

        /** A peer whose sessions must go elsewhere: down by quorum, drained by spec, or announcing a drain. */
        boolean isShedding(String r, QuorumPolicy.Verdict verdict) {
            EffectivePolicy.Region rs = regionSpecs.get(r);
            if (verdict.isDown(r) || (rs != null && rs.drain())) {
                return true;
            }
            RegionObservation ro = obs.regions().get(r);
            return verdict.live().contains(r) && ro != null && ro.phase() != null && ro.phase().shedsTraffic();
        }

        Map<String, Instant> peerDrains(QuorumPolicy.Verdict verdict) {
            Map<String, Instant> issued = new LinkedHashMap<>();
            for (Map.Entry<String, Instant> e : prev.peerDrainsIssued().entrySet()) {
                if (verdict.isDown(e.getKey())) {
                    issued.put(e.getKey(), e.getValue()); // forget regions that are back
                }
            }
            for (String x : verdict.down()) {
                String coordinator = verdict.coordinator().get(x);
                if (!local.equals(coordinator)) {
                    notes.add(x + " is down by quorum; " + coordinator + " drains its record");
                    continue;
                }
                RegionObservation xo = obs.regions().get(x);
                Integer w = xo == null ? null : xo.dnsWeight();
                if (w != null && w == 0) {
                    continue;
                }
                Instant last = issued.get(x);
                if (last != null && now.isBefore(last.plus(reroutePolicy.stepInterval()))) {
                    continue;
                }
                if (paused) {
                    notes.add(x + " is down by quorum but the platform is paused: not draining it");
                    continue;
                }
                int from = w != null ? w : Math.max(0, regionSpecs.get(x).weight());
                dns.add(new Decision(new Action.Drain(x, from, DrainCause.QUORUM_DOWN), verdict.reasons().get(x),
                        mode));
                issued.put(x, now);
            }
            return issued;
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
                if (!r.equals(local) && isShedding(r, verdict)) {
                    // its peak, not its latest reading: a failing region's relays stop reporting before it drains
                    PeerPeak peak = peaks.get(r);
                    absorbed += peak == null ? 0 : peak.sessions();
                }
                if (isSurvivor(r, verdict)) {
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
