package dev.lifeline.operator;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.status.Conditions;
import dev.lifeline.operator.status.FailureReason;
import dev.lifeline.operator.status.PlatformStatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The report steps of a reconcile: the next status (built by the pure PlatformStatusBuilder from what
 * the pass gathered and did), an Event per condition transition, and the status patch, only when the
 * status changed. The status written is remembered, so the next reconcile builds on it even before
 * the cache has caught up (see PlatformMemory#currentStatus).
 */
@ApplicationScoped
public class StatusReporter {

    private final PlatformMemory memory;
    private final EventRecorder events;
    private final Clock clock = Clock.systemUTC();

    public StatusReporter(PlatformMemory memory, EventRecorder events) {
        this.memory = memory;
        this.events = events;
    }

    /** The next status, built on the status last read or written. */
    ReconcilePass buildStatus(ReconcilePass pass) {
        RealtimePlatformStatus previous = memory.currentStatus(pass.platform());
        RealtimePlatformStatus next = PlatformStatusBuilder.build(observation(pass), previous,
                pass.aws().map(AwsReport::sessionStore).orElse(null), pass.aws().map(AwsReport::dns).orElse(null),
                clock.instant());
        pass.drill().ifPresent(drill -> next.drill = drill);
        return pass.withStatus(new ReconcilePass.StatusChange(previous, next));
    }

    /** One Event per condition transition worth one (Conditions#announced): kubectl describe, bounded by real changes. */
    ReconcilePass announceTransitions(ReconcilePass pass) {
        ReconcilePass.StatusChange status = pass.status().orElseThrow();
        List<Condition> before = status.previous() == null ? List.of() : status.previous().conditions;
        for (Condition changed : Conditions.announced(before, status.next().conditions)) {
            String message = changed.getType() + " is " + changed.getStatus() + ": " + changed.getMessage();
            if (Conditions.warns(changed)) {
                events.warning(pass.platform(), changed.getReason(), message);
            } else {
                events.normal(pass.platform(), changed.getReason(), message);
            }
        }
        return pass;
    }

    /** Patches the status built by {@link #buildStatus} if it changed. */
    UpdateControl<RealtimePlatform> patchIfChanged(ReconcilePass pass) {
        ReconcilePass.StatusChange status = pass.status().orElseThrow();
        return patch(pass.platform(), status.previous(), status.next()).map(UpdateControl::patchStatus)
                .orElseGet(UpdateControl::noUpdate);
    }

    /** The status of a failed reconcile: the failure as a condition, patched if that changed the status. */
    ErrorStatusUpdateControl<RealtimePlatform> failed(RealtimePlatform platform, FailureReason failure) {
        RealtimePlatformStatus previous = memory.currentStatus(platform);
        RealtimePlatformStatus next = PlatformStatusBuilder.failed(platform, previous, failure, clock.instant());
        return patch(platform, previous, next).map(ErrorStatusUpdateControl::patchStatus)
                .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
    }

    private static PlatformStatusBuilder.Observation observation(ReconcilePass pass) {
        ReconcilePass.Input input = pass.input();
        Optional<AwsReport> aws = pass.aws();
        return new PlatformStatusBuilder.Observation(input.platform(), input.region(), input.media(),
                input.signaling(), aws.map(r -> List.of(r.sessionStoreReady(), r.dnsReady())).orElse(List.of()),
                aws.map(AwsReport::degraded),
                pass.healing().map(s -> new PlatformStatusBuilder.SelfHealingView(s.decisions().health(),
                        s.decisions().state().breakerStatuses(), s.decisions().localWeight(), pass.history(),
                        s.coordinationProblem(), s.decisions().silentControlPlanes())));
    }


    /** The patch to write when the status differs from what the API server has; remembered as written. */
    private Optional<RealtimePlatform> patch(RealtimePlatform platform, RealtimePlatformStatus previous,
            RealtimePlatformStatus next) {
        boolean changed = previous == null || !Serialization.asJson(previous).equals(Serialization.asJson(next));
        if (!changed) {
            return Optional.empty();
        }
        memory.statusWritten(platform, next);
        return Optional.of(statusPatch(platform, next));
    }

    /**
     * A fresh object with only identity and status: applied server-side without a
     * resourceVersion, so a concurrent spec or finalizer change does not make it conflict.
     */
    private static RealtimePlatform statusPatch(RealtimePlatform platform, RealtimePlatformStatus status) {
        RealtimePlatform patch = new RealtimePlatform();
        patch.getMetadata().setName(platform.getMetadata().getName());
        patch.getMetadata().setNamespace(platform.getMetadata().getNamespace());
        patch.setStatus(status);
        return patch;
    }
}
