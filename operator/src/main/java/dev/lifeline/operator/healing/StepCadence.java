package dev.lifeline.operator.healing;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.policy.BreakerState;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.policy.RelayReport;

/**
 * Whether a platform's next self-healing step can wait longer than one heartbeat interval, and how long: the
 * decision behind a reconcile's reschedule, pure. Everything the Kubernetes informers see (pods, Deployments,
 * Services, the platform's own spec and drill annotation) reconciles the platform at once; the step after a quiet one
 * is only for what has no watch.
 *
 * <p>A platform keeps the heartbeat cadence ({@code failover.heartbeatIntervalSeconds}) when
 * <ul>
 *   <li>it has another region: its peers read this region's heartbeat every interval, and this region reads theirs
 *       (multi-region failure detection owns that cadence), or</li>
 *   <li>something in it moves on a clock rather than on an event: a decision was just taken (a restart, a scale, a
 *       DNS weight, a breaker transition), a breaker is not closed (open → half-open after its open time), the region
 *       is not serving at full weight (a drain, pre-scale or stepwise restore in progress), a drill runs, most relays
 *       lag (the overload clock), the region is judged degraded or down (its breaker samples one per interval), or a pod
 *       is unready or crash-looping (restarted once unready past the grace, with backoff).</li>
 * </ul>
 * A quiet single-region platform waits {@link #RELAY_SAMPLING} when its relays report instance heartbeats (sessions
 * for the forecast, which takes one sample per 30 s anyway; event-loop lag, which must last 30 s to add a replica;
 * packet loss), else {@link #SAFETY_RESYNC}. The AWS checks keep their own schedule (the reconciler comes back at the
 * earlier of the two).
 */
public final class StepCadence {

    /** A quiet single-region platform whose relays report: half the forecast's sampling interval. */
    public static final Duration RELAY_SAMPLING = Duration.ofSeconds(15);
    /** A quiet single-region platform without reporting relays: nothing without a watch but the AWS drift check. */
    public static final Duration SAFETY_RESYNC = Duration.ofSeconds(60);

    /** Healthy, or nothing sampled yet (no Deployment, every pod starting): what follows comes as an event. */
    private static final Set<RegionHealth> QUIET_HEALTH = EnumSet.of(RegionHealth.HEALTHY, RegionHealth.UNKNOWN);

    private StepCadence() {
    }

    /**
     * The wait before the next step of a quiet platform, or empty when it keeps the heartbeat cadence.
     *
     * @param spec         the platform's spec
     * @param region       this operator's region
     * @param decisions    the step just taken
     * @param observations what that step observed
     */
    public static Optional<Duration> quietWait(RealtimePlatformSpec spec, String region, Decisions decisions,
            Observations observations) {
        if (hasPeers(spec, region) || !quiet(region, decisions, observations)) {
            return Optional.empty();
        }
        return Optional.of(relaysReport(observations) ? RELAY_SAMPLING : SAFETY_RESYNC);
    }

    static boolean hasPeers(RealtimePlatformSpec spec, String region) {
        return spec.regions.stream().anyMatch((RegionSpec r) -> !region.equals(r.name));
    }

    /** Nothing decided, nothing on a clock, every pod ready or starting (the kubelet reports what follows). */
    static boolean quiet(String region, Decisions decisions, Observations observations) {
        return decisions.decisions().isEmpty()
                && decisions.localPhase() == Phase.SERVING
                && decisions.state().breakers().values().stream().allMatch(b -> b.state() == BreakerState.State.CLOSED)
                && decisions.state().overloadedSince() == null
                && observations.drill() == null
                && QUIET_HEALTH.contains(decisions.health().get(region))
                && observations.components().values().stream().flatMap(c -> c.pods().stream())
                        .allMatch(p -> p.ready() || p.starting());
    }

    /** Any media-server pod with an instance heartbeat: its load, lag and loss arrive only through the table. */
    static boolean relaysReport(Observations observations) {
        return observations.components().values().stream().flatMap(c -> c.pods().stream())
                .anyMatch(p -> p.relay() != RelayReport.NONE || p.activeSessions() != null);
    }
}
