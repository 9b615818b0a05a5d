package dev.lifeline.operator.drill;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.dns.RoutingChangeWatch;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.DrainCause;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The failover drills of this region's platforms (see {@link DrillProgress}): starts one when the
 * annotation asks, feeds the measured times in as the drain is carried out and confirmed, and
 * announces start, refusal and completion as Events. The latest drill is remembered in
 * PlatformMemory and written to status, where a restarted operator picks it up.
 */
@ApplicationScoped
public class Drills {

    private final EventRecorder events;
    private final PlatformMemory memory;

    public Drills(EventRecorder events, PlatformMemory memory) {
        this.events = events;
        this.memory = memory;
    }

    /**
     * What {@link #begin} found while deciding: a drill the annotation started just now (the act side
     * announces it, see {@link #announceStarted}) and the drill the engine must honour now, if any.
     */
    public record Begun(Optional<DrillStatus> started, Optional<Observations.Drill> active) {
    }

    /** Starts a drill if the annotation asks for a new one. Emits no Event: it runs while the engine decides. */
    public Begun begin(RealtimePlatform platform, String region, Instant now) {
        Optional<DrillStatus> requested = DrillProgress.requested(platform.getMetadata().getAnnotations(),
                current(platform).orElse(null), region, now);
        requested.ifPresent(drill -> memory.rememberDrill(platform, drill));
        return new Begun(requested, current(platform).flatMap(DrillProgress::active));
    }

    /** A drill has started (see {@link #begin}). */
    public void announceStarted(RealtimePlatform platform, DrillStatus drill) {
        events.normal(platform, "DrillStarted", "Failover drill " + drill.id + ": " + drill.message + " for "
                + drill.holdSeconds + " s, then restoring its weight in steps");
    }

    /** A decision was carried out; a drain of the drilled region by this drill times the drill. */
    public void carriedOut(RealtimePlatform platform, Decision decision, String outcome, String detail, Instant at) {
        if (decision.action() instanceof Action.Drain drain && drain.cause() == DrainCause.DRILL) {
            update(platform, drill -> DrillProgress.drainCarriedOut(drill, outcome, detail, at));
        }
    }

    /** A routing change became INSYNC. */
    public void changeInSync(RealtimePlatform platform, RoutingChangeWatch.ConfirmedChange confirmed) {
        RoutingChangeWatch.RoutingChange change = confirmed.change();
        Optional<DrillStatus> drill = current(platform);
        if (drill.isPresent() && change.weight() == 0 && change.region().equals(drill.get().region)) {
            update(platform, d -> DrillProgress.drainInSync(d, confirmed.confirmedAt()));
        }
    }

    /** After a self-healing step: the hold may be over, or the region serving again. */
    public void afterStep(RealtimePlatform platform, Phase localPhase, Instant now) {
        update(platform, drill -> DrillProgress.afterStep(drill, localPhase, now));
    }

    /** The latest drill: as remembered in PlatformMemory, else from status. */
    public Optional<DrillStatus> current(RealtimePlatform platform) {
        return memory.drill(platform)
                .or(() -> Optional.ofNullable(platform.getStatus() == null ? null : platform.getStatus().drill));
    }

    private void update(RealtimePlatform platform, UnaryOperator<DrillStatus> change) {
        Optional<DrillStatus> before = current(platform).filter(DrillProgress::isRunning);
        if (before.isEmpty()) {
            return;
        }
        DrillStatus after = change.apply(before.get());
        memory.rememberDrill(platform, after);
        if (!after.phase.equals(before.get().phase)) {
            if (DrillProgress.REFUSED.equals(after.phase)) {
                events.warning(platform, "DrillRefused", "Failover drill " + after.id + ": " + after.message);
            } else if (DrillProgress.COMPLETED.equals(after.phase)) {
                events.normal(platform, "DrillCompleted", "Failover drill " + after.id + ": " + after.message);
            }
        }
    }
}
