package dev.lifeline.operator;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.healing.SelfHealing;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.workload.RegionListedCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What one reconcile of a platform has gathered, decided and done so far. Each step of
 * {@link RealtimePlatformReconciler#reconcile} reads what the steps before it left here and returns a
 * copy with its own result; the report steps build the status from all of it (a status accumulator,
 * as Keycloak's operator threads one through its reconcile). Immutable, so a step's output is the
 * {@code with...} call it ends with.
 *
 * @param aws     the AWS side's report (session table, this region's record and health check); empty when
 *                the region is not listed
 * @param healing the self-healing step (decisions, coordination problem, a drill started); empty when not listed
 * @param history the decisions as carried out, for {@code status.history}
 * @param drill   the latest drill, for {@code status.drill}
 * @param status  the status this reconcile builds on and the one it built
 */
record ReconcilePass(Input input, Optional<AwsReport> aws, Optional<SelfHealing.Step> healing,
        List<HistoryEntry> history, Optional<DrillStatus> drill, Optional<StatusChange> status) {

    /** What a reconcile starts from: the platform, this operator's region, its workloads as the informers see them. */
    record Input(RealtimePlatform platform, Context<RealtimePlatform> context, String region, boolean listed,
            Optional<Deployment> media, Optional<Deployment> signaling) {
    }

    /** The status a reconcile builds on (see PlatformMemory#currentStatus) and the one it built. */
    record StatusChange(RealtimePlatformStatus previous, RealtimePlatformStatus next) {
    }

    static ReconcilePass start(RealtimePlatform platform, Context<RealtimePlatform> context, String region) {
        Input input = new Input(platform, context, region, RegionListedCondition.isListed(platform, region),
                context.getSecondaryResource(Deployment.class, RealtimePlatformReconciler.MEDIA_SERVER_DEPLOYMENT),
                context.getSecondaryResource(Deployment.class, RealtimePlatformReconciler.SIGNALING_DEPLOYMENT));
        return new ReconcilePass(input, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty());
    }

    /** Runs the next step on what this pass holds. */
    ReconcilePass compose(UnaryOperator<ReconcilePass> step) {
        return step.apply(this);
    }

    RealtimePlatform platform() {
        return input.platform();
    }

    /** The engine's decisions of this reconcile; empty when the region is not listed. */
    Optional<Decisions> decisions() {
        return healing.map(SelfHealing.Step::decisions);
    }

    /**
     * The workloads as this pass applied them (the informer cache holds what the API server answered),
     * so status judges the rollout of the spec just applied, not the Deployments read before applying it.
     */
    ReconcilePass withWorkloads(Optional<Deployment> media, Optional<Deployment> signaling) {
        Input applied = new Input(input.platform(), input.context(), input.region(), input.listed(), media, signaling);
        return new ReconcilePass(applied, aws, healing, history, drill, status);
    }

    ReconcilePass withAws(Optional<AwsReport> report) {
        return new ReconcilePass(input, report, healing, history, drill, status);
    }

    ReconcilePass withHealing(Optional<SelfHealing.Step> step) {
        return new ReconcilePass(input, aws, step, history, drill, status);
    }

    ReconcilePass withHistory(List<HistoryEntry> entries) {
        return new ReconcilePass(input, aws, healing, entries, drill, status);
    }

    ReconcilePass withDrill(Optional<DrillStatus> latest) {
        return new ReconcilePass(input, aws, healing, history, latest, status);
    }

    ReconcilePass withStatus(StatusChange change) {
        return new ReconcilePass(input, aws, healing, history, drill, Optional.of(change));
    }
}
