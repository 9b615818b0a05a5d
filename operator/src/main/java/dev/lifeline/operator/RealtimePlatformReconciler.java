package dev.lifeline.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.lifeline.operator.action.DecisionEffector;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.action.ReplicaTargets;
import dev.lifeline.operator.healing.SelfHealing;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.workload.WorkloadLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

import org.jboss.logging.Logger;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.CleanupResult;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.status.ConditionTypes;
import dev.lifeline.operator.status.Conditions;
import dev.lifeline.operator.status.FailureReason;
import dev.lifeline.operator.status.PlatformStatusBuilder;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.MediaServerPdbDependent;
import dev.lifeline.operator.workload.MediaServerServiceDependent;
import dev.lifeline.operator.workload.PlatformConfigMapDependent;
import dev.lifeline.operator.workload.RegionListedCondition;
import dev.lifeline.operator.workload.SignalingDeploymentDependent;
import dev.lifeline.operator.workload.SignalingPdbDependent;
import dev.lifeline.operator.workload.SignalingServiceDependent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/**
 * Reconciles a RealtimePlatform into this region's workloads (the dependents below, applied
 * with server-side apply) and reports what it sees in status. Each dependent's desired state
 * comes from a pure builder; this class only observes and reports.
 */
@ControllerConfiguration(name = RealtimePlatformReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config", type = PlatformConfigMapDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.MEDIA_SERVER_DEPLOYMENT, type = MediaServerDeploymentDependent.class,
                dependsOn = "config", reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "media-server-service", type = MediaServerServiceDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "media-server-pdb", type = MediaServerPdbDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.SIGNALING_DEPLOYMENT, type = SignalingDeploymentDependent.class,
                dependsOn = "config", reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.SIGNALING_SERVICE, type = SignalingServiceDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "signaling-pdb", type = SignalingPdbDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
})
public class RealtimePlatformReconciler implements Reconciler<RealtimePlatform>, Cleaner<RealtimePlatform> {

    public static final String NAME = "realtimeplatform";
    static final String MEDIA_SERVER_DEPLOYMENT = "media-server-deployment";
    static final String SIGNALING_DEPLOYMENT = "signaling-deployment";
    private static final Logger LOG = Logger.getLogger(RealtimePlatformReconciler.class);

    static final String SIGNALING_SERVICE = "signaling-service";
    /** How soon to try again while AWS resources are still being removed on deletion. */
    static final Duration CLEANUP_RETRY = Duration.ofSeconds(5);

    private final OperatorConfig config;
    private final EventRecorder events;
    private final AwsResources aws;
    private final SelfHealing selfHealing;
    private final DecisionEffector effector;
    private final PlatformMemory memory;
    private final Drills drills;
    private final Clock clock;

    public RealtimePlatformReconciler(OperatorConfig config, EventRecorder events, AwsResources aws,
            SelfHealing selfHealing, DecisionEffector effector, PlatformMemory memory, Drills drills) {
        this.config = config;
        this.events = events;
        this.aws = aws;
        this.selfHealing = selfHealing;
        this.effector = effector;
        this.memory = memory;
        this.drills = drills;
        this.clock = Clock.systemUTC();
    }

    /** Pods of the platform's workloads, for health signals (event-driven, never polled). */
    @Override
    public List<EventSource<?, RealtimePlatform>> prepareEventSources(EventSourceContext<RealtimePlatform> context) {
        var pods = InformerEventSourceConfiguration.from(Pod.class, RealtimePlatform.class)
                .withName("pods")
                .withLabelSelector(WorkloadLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(labels -> labels.get("app.kubernetes.io/instance"))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<RealtimePlatform> reconcile(RealtimePlatform platform, Context<RealtimePlatform> context) {
        String region = config.region();
        boolean listed = RegionListedCondition.isListed(platform, region);
        Optional<Deployment> media = context.getSecondaryResource(Deployment.class, MEDIA_SERVER_DEPLOYMENT);
        Optional<Deployment> signaling = context.getSecondaryResource(Deployment.class, SIGNALING_DEPLOYMENT);

        // 1. AWS side (cached between drift checks): table, this region's record and health check.
        Optional<AwsReport> report = listed
                ? Optional.of(aws.reconcile(platform, region, loadBalancerAddress(context).orElse(null)))
                : Optional.empty();
        // 2. Signals -> decisions (pure engine), heartbeat published.
        Optional<SelfHealing.Step> step = listed
                ? Optional.of(selfHealing.decide(platform, region, media, signaling,
                        context.getSecondaryResources(Pod.class), report.map(AwsReport::dnsWeight).orElse(null),
                        aws.route53Healthy(platform, region)))
                : Optional.empty();
        Optional<Decisions> decisions = step.map(SelfHealing.Step::decisions);
        // Deciding emits no Event: the drill an annotation started is announced here, before acting on it.
        step.flatMap(SelfHealing.Step::drillStarted).ifPresent(drill -> drills.announceStarted(platform, drill));
        // 3. Workloads, with the media-server replica target (pre-scaling) the engine decided.
        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(MediaServerDeploymentDependent.REPLICAS_KEY,
                ReplicaTargets.mediaServer(platform.getSpec().mediaServer.replicas, media, decisions));
        workflow.reconcileManagedWorkflow();
        // 4. Restarts, deletion costs and DNS changes; every decision recorded.
        List<HistoryEntry> history = decisions.map(d -> effector.carryOut(platform, d)).orElse(List.of());
        decisions.ifPresent(d -> drills.afterStep(platform, d.localPhase(), clock.instant()));

        var observation = new PlatformStatusBuilder.Observation(platform, region, media, signaling,
                report.map(r -> List.of(r.sessionStoreReady(), r.dnsReady())).orElse(List.of()),
                report.map(AwsReport::degraded),
                step.map(s -> new PlatformStatusBuilder.SelfHealingView(health(s.decisions()),
                        s.decisions().state().breakerStatuses(), s.decisions().localWeight(), history,
                        s.coordinationProblem())));
        RealtimePlatformStatus previous = memory.currentStatus(platform);
        RealtimePlatformStatus next = PlatformStatusBuilder.build(observation, previous,
                report.map(AwsReport::sessionStore).orElse(null), report.map(AwsReport::dns).orElse(null),
                clock.instant());
        drills.current(platform).ifPresent(drill -> next.drill = drill);
        announce(platform, previous, next);
        UpdateControl<RealtimePlatform> control = UpdateControl.noUpdate();
        if (changed(previous, next)) {
            memory.statusWritten(platform, next);
            control = UpdateControl.patchStatus(statusPatch(platform, next));
        }
        if (listed) {
            // AWS and peers have no watch: come back every heartbeat interval (sooner for pending AWS changes).
            Duration heartbeat = Duration.ofSeconds(platform.getSpec().failover.heartbeatIntervalSeconds);
            Duration awsCheck = report.map(AwsReport::nextCheckIn).orElse(heartbeat);
            control.rescheduleAfter(awsCheck.compareTo(heartbeat) < 0 ? awsCheck : heartbeat);
        }
        return control;
    }

    private static java.util.Map<String, String> health(Decisions decisions) {
        java.util.Map<String, String> health = new java.util.LinkedHashMap<>();
        decisions.health().forEach((region, h) -> health.put(region, h.statusName()));
        return health;
    }

    @Override
    public ErrorStatusUpdateControl<RealtimePlatform> updateErrorStatus(RealtimePlatform platform,
            Context<RealtimePlatform> context, Exception error) {
        FailureReason failure = FailureReason.of(error);
        LOG.warnf(error, "Reconciling %s/%s failed: %s", platform.getMetadata().getNamespace(),
                platform.getMetadata().getName(), failure.message());
        events.warning(platform, failure.reason(), failure.message());
        RealtimePlatformStatus previous = memory.currentStatus(platform);
        RealtimePlatformStatus next = PlatformStatusBuilder.failed(platform, previous, failure, clock.instant());
        if (!changed(previous, next)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        memory.statusWritten(platform, next);
        return ErrorStatusUpdateControl.patchStatus(statusPatch(platform, next));
    }

    @Override
    public DeleteControl cleanup(RealtimePlatform platform, Context<RealtimePlatform> context) {
        // Kubernetes workloads carry owner references and go with the resource (garbage collection);
        // the finalizer exists for this region's AWS resources (record, health check; the table only
        // with deletionPolicy Delete).
        CleanupResult result = aws.cleanup(platform, config.region());
        memory.forget(platform);
        if (!result.done()) {
            LOG.infof("Deleting %s/%s: %s", platform.getMetadata().getNamespace(), platform.getMetadata().getName(),
                    result.outcome().message());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RETRY);
        }
        events.normal(platform, "Deleted", "Removed this region's AWS resources: " + result.outcome().message());
        return DeleteControl.defaultDelete();
    }

    /** The signaling Service's load-balancer address: the region's DNS target unless the spec names one. */
    private static Optional<String> loadBalancerAddress(Context<RealtimePlatform> context) {
        return context.getSecondaryResource(Service.class, SIGNALING_SERVICE)
                .map(Service::getStatus)
                .map(ServiceStatus::getLoadBalancer)
                .flatMap(lb -> lb.getIngress() == null ? Optional.empty() : lb.getIngress().stream().findFirst())
                .map(ingress -> ingress.getHostname() != null ? ingress.getHostname() : ingress.getIp());
    }

    /** One Event per condition transition: visible in kubectl describe, bounded by real changes. */
    private void announce(RealtimePlatform platform, RealtimePlatformStatus previous, RealtimePlatformStatus next) {
        List<Condition> before = previous == null ? List.of() : previous.conditions;
        for (Condition changed : Conditions.transitions(before, next.conditions)) {
            boolean bad = ConditionTypes.DEGRADED.equals(changed.getType())
                    ? ConditionTypes.TRUE.equals(changed.getStatus())
                    : !ConditionTypes.TRUE.equals(changed.getStatus());
            String message = changed.getType() + " is " + changed.getStatus() + ": " + changed.getMessage();
            if (bad && !"Progressing".equals(changed.getReason())) {
                events.warning(platform, changed.getReason(), message);
            } else {
                events.normal(platform, changed.getReason(), message);
            }
        }
    }

    /** Status is written only when it differs from what the API server has. */
    private static boolean changed(RealtimePlatformStatus previous, RealtimePlatformStatus next) {
        return previous == null || !Serialization.asJson(previous).equals(Serialization.asJson(next));
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
