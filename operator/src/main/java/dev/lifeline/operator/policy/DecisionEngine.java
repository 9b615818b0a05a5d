package dev.lifeline.operator.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;

import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.policy.Decision.Execution;
import dev.lifeline.operator.policy.LoadStep.Load;
import dev.lifeline.operator.policy.PeerDrainStep.PeerDrains;
import dev.lifeline.operator.policy.PreScaleStep.PreScale;
import dev.lifeline.operator.policy.RerouteStep.LocalReroute;
import dev.lifeline.operator.policy.RestartStep.Restarts;
import dev.lifeline.operator.policy.ServiceStep.Service;

/**
 * The decision engine: observations, the spec, the previous state and a clock in; decisions and the next state out.
 * Pure and deterministic — no I/O, no Kubernetes or AWS clients, no CDI; the same inputs at the same clock instant
 * give the same output. One engine instance serves any number of platforms (it holds only the clock and settings).
 *
 * <p>One decision, for the operator of region {@code obs.localRegion()}, is a chain of steps. Each step is a small
 * class that takes the {@link DecisionInput} and the outputs of earlier steps it depends on, and returns a new value;
 * no step changes another's output.
 * <ol>
 *   <li><b>Breakers</b> ({@link BreakerStep}) of the local components take one sample ({@link Samples}) per
 *       heartbeat interval.</li>
 *   <li><b>Restarts</b> ({@link RestartStep}): pods crash-looping, OOM-killed or unready past
 *       {@link EngineSettings#unreadyGrace()} are restarted within the hourly budget, with backoff — unless another
 *       component is unhealthy too. A spent budget forces the breaker open: the step returns the breakers changed.</li>
 *   <li><b>Quorum</b> ({@link QuorumStep}, {@link QuorumPolicy}) decides which silent peers are down; from it,
 *       {@link RegionRoles} names the survivors and the peers shedding traffic.</li>
 *   <li><b>Local reroute</b> ({@link RerouteStep}, {@link ReroutePlanner}): a drain is due when a local breaker is
 *       open, the spec drains the region or a drill holds it; it waits for the survivors' spare capacity or the drain
 *       deadline. When the cause is gone and the region is healthy, the weight comes back in steps.</li>
 *   <li><b>Peer drains</b> ({@link PeerDrainStep}): a peer that is down by quorum is drained by one region.</li>
 *   <li><b>Load</b> ({@link LoadStep}): the local sessions, their forecast, and the peers' recent peaks.</li>
 *   <li><b>Overload</b> ({@link OverloadStep}): since when most local relays' event loops lag.</li>
 *   <li><b>Pre-scale</b> ({@link PreScaleStep}, {@link PreScalePlanner}): the local media-server absorbs its share of
 *       the sessions of regions that are down, draining or drained, and gets one replica more for a sustained
 *       overload; scale-up at once, scale-down stabilized.</li>
 *   <li><b>Pod deletion cost</b> ({@link DeletionCostStep}) of the local media-server pods from their sessions.</li>
 *   <li><b>Health</b> ({@link HealthStep}) of every region, for the status.</li>
 * </ol>
 * The spec is read once, into an {@link EffectivePolicy} with its defaults applied. {@code spec.paused}: no
 * remediation decision at all (only breaker transitions, which record what was observed); restart, reroute and
 * peer-drain state do not advance. {@code spec.dryRun}: every decision is marked {@link Execution#DRY_RUN}, and the
 * state advances as if it had been carried out, so that the recorded history shows the whole plan (drain, then
 * restore steps, ...); the observed DNS weight is not adopted in dry-run.
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
        EffectivePolicy policy = EffectivePolicy.of(spec);
        policy.requireRegion(obs.localRegion());
        DecisionInput in = new DecisionInput(obs, policy, settings, now);

        Samples samples = Samples.of(in);
        Breakers breakers = BreakerStep.sample(in, prev.breakers(), prev.lastSampleAt(), samples);
        Restarts restarts = RestartStep.plan(in, breakers, samples, prev.restarts());
        Breakers breakersNow = restarts.breakers(); // the sampled breakers, with those whose budget is spent opened
        Service service = ServiceStep.judge(in, QuorumStep.evaluate(in));
        QuorumPolicy.Verdict quorum = service.quorum(); // down only where the service is down too
        RegionRoles roles = RegionRoles.of(in, quorum);
        LocalSessions own = LocalSessions.of(in);
        LocalReroute reroute = RerouteStep.plan(in, prev.reroute(), breakersNow, samples, roles, quorum, own);
        Set<String> stillSilent = new LinkedHashSet<>(service.silentControlPlanes().keySet());
        stillSilent.addAll(service.suspectedAlive());
        PeerDrains peerDrains = PeerDrainStep.plan(in, prev.peerDrainsIssued(), quorum, stillSilent);
        Load load = LoadStep.track(in, prev.forecast(), prev.peerPeaks(), own);
        OverloadStep.Overload overload = OverloadStep.track(in, prev.overloadedSince());
        PreScale preScale = PreScaleStep.plan(in, prev.scaleHistory(), load, roles, reroute.state(), overload);
        List<Decision> deletionCosts = DeletionCostStep.plan(in);
        Map<String, RegionHealth> health = HealthStep.judge(in, breakersNow, samples, quorum,
                service.silentControlPlanes());

        EngineState next = new EngineState(now, breakersNow.states(), breakersNow.lastSampleAt(), restarts.budgets(),
                reroute.state(), peerDrains.issued(), load.forecast(), preScale.history(), load.peerPeaks(),
                preScale.overloadSince());
        // the order to carry them out: breaker transitions, restarts, scaling, DNS, deletion costs
        List<Decision> decisions = concat(breakersNow.transitions(), restarts.decisions(), preScale.decisions(),
                reroute.decisions(), peerDrains.decisions(), deletionCosts);
        List<String> notes = concat(policy.notes(), restarts.notes(), reroute.notes(), peerDrains.notes());
        return new Decisions(now, decisions, next, reroute.state().phase(), reroute.state().weight(), health, quorum,
                service.silentControlPlanes(), notes);
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... parts) {
        List<T> all = new ArrayList<>();
        for (List<T> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
