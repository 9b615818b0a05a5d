package dev.lifeline.operator.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;

/**
 * Pure: the life of a failover drill. A drill drains this operator's region on purpose for a
 * hold time (the decision engine treats it like {@code regions[].drain}: survivors pre-scale, then
 * the record goes to 0), then the weight comes back in steps; the times of each stage are measured
 * from the start. Started by a new value of the {@value #ANNOTATION} annotation, so it is
 * declarative (GitOps) and survives an operator restart through {@code status.drill}.
 */
public final class DrillProgress {

    public static final String ANNOTATION = "lifeline.dev/drill";
    public static final String HOLD_ANNOTATION = "lifeline.dev/drill-hold-seconds";
    public static final int DEFAULT_HOLD_SECONDS = 60;
    public static final int MAX_HOLD_SECONDS = 3600;

    public static final String DRAINING = "Draining";
    public static final String RESTORING = "Restoring";
    public static final String COMPLETED = "Completed";
    public static final String REFUSED = "Refused";

    private DrillProgress() {
    }

    /** A drill to start: the annotation names an id other than the latest drill's. */
    public static Optional<DrillStatus> requested(Map<String, String> annotations, DrillStatus latest, String region,
            Instant now) {
        String id = annotations == null ? null : annotations.get(ANNOTATION);
        if (id == null || id.isBlank() || (latest != null && id.equals(latest.id))) {
            return Optional.empty();
        }
        DrillStatus drill = new DrillStatus();
        drill.id = id;
        drill.region = region;
        drill.phase = DRAINING;
        drill.startedAt = now.toString();
        String hold = annotations.get(HOLD_ANNOTATION);
        drill.holdSeconds = DEFAULT_HOLD_SECONDS;
        drill.message = "draining " + region + " on purpose";
        if (hold != null) {
            try {
                int seconds = Integer.parseInt(hold.trim());
                if (seconds < 1 || seconds > MAX_HOLD_SECONDS) {
                    throw new NumberFormatException();
                }
                drill.holdSeconds = seconds;
            } catch (NumberFormatException e) {
                drill.message += "; " + HOLD_ANNOTATION + " '" + hold + "' is not 1.." + MAX_HOLD_SECONDS
                        + ": holding " + DEFAULT_HOLD_SECONDS + " s";
            }
        }
        return Optional.of(drill);
    }

    /** What the decision engine needs while the region is held drained. */
    public static Optional<Observations.Drill> active(DrillStatus drill) {
        if (drill == null || !DRAINING.equals(drill.phase)) {
            return Optional.empty();
        }
        return Optional.of(new Observations.Drill(drill.id, until(drill)));
    }

    /**
     * The drill's drain was carried out ({@code Applied}, or {@code Unchanged}: the region was at 0 already) or not
     * ({@code Skipped}, {@code Failed}: the drill ends).
     */
    public static DrillStatus drainCarriedOut(DrillStatus drill, String outcome, String detail, Instant at) {
        DrillStatus next = drill.copy();
        if ("Applied".equals(outcome) || "Unchanged".equals(outcome)) {
            if (next.drainSubmittedMillis == null) {
                next.drainSubmittedMillis = millisSinceStart(drill, at);
            }
        } else if (!"DryRun".equals(outcome) && !"Recorded".equals(outcome)) {
            next.phase = REFUSED;
            next.message = "the drain of " + drill.region + " was not carried out (" + outcome + "): " + detail;
        }
        return next;
    }

    /** A drain to weight 0 of the drilled region is live in Route 53. */
    public static DrillStatus drainInSync(DrillStatus drill, Instant at) {
        DrillStatus next = drill.copy();
        if (next.drainSubmittedMillis != null && next.drainInSyncMillis == null) {
            next.drainInSyncMillis = millisSinceStart(drill, at);
        }
        return next;
    }

    /** Advances after a self-healing step: the hold ends, then the region serves at full weight again. */
    public static DrillStatus afterStep(DrillStatus drill, Phase localPhase, Instant now) {
        DrillStatus next = drill.copy();
        if (DRAINING.equals(next.phase) && !now.isBefore(until(drill))) {
            next.phase = RESTORING;
            next.message = "hold over: restoring the weight of " + drill.region + " in steps";
        }
        if (RESTORING.equals(next.phase) && localPhase == Phase.SERVING) {
            next.phase = COMPLETED;
            next.restoredMillis = millisSinceStart(drill, now);
            next.message = next.drainSubmittedMillis == null
                    ? "the drain never went out (the survivors' capacity was not ready within the hold)"
                    : "drain submitted after " + next.drainSubmittedMillis + " ms, INSYNC after "
                            + (next.drainInSyncMillis == null ? "?" : next.drainInSyncMillis) + " ms, serving at full "
                            + "weight again after " + next.restoredMillis + " ms";
        }
        return next;
    }

    public static boolean isRunning(DrillStatus drill) {
        return drill != null && (DRAINING.equals(drill.phase) || RESTORING.equals(drill.phase));
    }

    private static Instant until(DrillStatus drill) {
        return Instant.parse(drill.startedAt).plusSeconds(drill.holdSeconds);
    }

    private static long millisSinceStart(DrillStatus drill, Instant at) {
        return Duration.between(Instant.parse(drill.startedAt), at).toMillis();
    }
}
