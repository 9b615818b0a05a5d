package dev.lifeline.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.lifeline.operator.action.DecisionEffector;
import dev.lifeline.operator.action.ReplicaTargets;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.call.CleanupResult;
import dev.lifeline.operator.cache.WithoutManagedFieldsStore;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.healing.HeartbeatLoop;
import dev.lifeline.operator.healing.ReconcileTrigger;
import dev.lifeline.operator.healing.SelfHealing;
import dev.lifeline.operator.healing.StepCadence;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.metrics.MetricNames;
import dev.lifeline.operator.status.FailureReason;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.MediaServerNetworkPolicyDependent;
import dev.lifeline.operator.workload.MediaServerPdbDependent;
import dev.lifeline.operator.workload.MediaServerServiceDependent;
import dev.lifeline.operator.workload.PlatformConfigMapDependent;
import dev.lifeline.operator.workload.RegionListedCondition;
import dev.lifeline.operator.workload.SignalingDeploymentDependent;
import dev.lifeline.operator.workload.SignalingNetworkPolicyDependent;
import dev.lifeline.operator.workload.SignalingPdbDependent;
import dev.lifeline.operator.workload.SignalingServiceDependent;
import dev.lifeline.operator.workload.WorkloadLabels;
import dev.lifeline.operator.workload.WorkloadServiceAccountDependent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Tags;

/**
 * Reconciles a RealtimePlatform in this operator's region, as the steps listed in {@link #reconcile}:
 * gather (the AWS side, the health signals), decide (the pure decision engine), act (the workloads,
 * applied with server-side apply from pure builders; restarts, deletion costs and DNS weights; drills)
 * and report (status, condition Events). Each step owns one effect; what a step produces is threaded
 * to the next in a {@link ReconcilePass}.
 */
// Generation-aware processing would drop drill annotations; the filter takes them with spec changes, not status.
// The platforms' cache keeps no managedFields: only the status patches write them, and nothing here reads them.
@ControllerConfiguration(name = RealtimePlatformReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = PlatformUpdateFilter.class, itemStore = WithoutManagedFieldsStore.class))
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config", type = PlatformConfigMapDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "service-account", type = WorkloadServiceAccountDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.MEDIA_SERVER_DEPLOYMENT, type = MediaServerDeploymentDependent.class,
                dependsOn = { "config", "service-account" }, reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "media-server-service", type = MediaServerServiceDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "media-server-pdb", type = MediaServerPdbDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "media-server-network-policy", type = MediaServerNetworkPolicyDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.SIGNALING_DEPLOYMENT, type = SignalingDeploymentDependent.class,
                dependsOn = { "config", "service-account" }, reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = RealtimePlatformReconciler.SIGNALING_SERVICE, type = SignalingServiceDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "signaling-pdb", type = SignalingPdbDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
        @Dependent(name = "signaling-network-policy", type = SignalingNetworkPolicyDependent.class,
                reconcilePrecondition = RegionListedCondition.class),
})
public class RealtimePlatformReconciler implements Reconciler<RealtimePlatform>, Cleaner<RealtimePlatform> {

    public static final String NAME = "realtimeplatform";
    static final String MEDIA_SERVER_DEPLOYMENT = "media-server-deployment";
    static final String SIGNALING_DEPLOYMENT = "signaling-deployment";
    private static final Logger LOG = Logger.getLogger(RealtimePlatformReconciler.class);

    static final String SIGNALING_SERVICE = "signaling-service";
    /** The shortest pause between two self-healing steps of one platform. */
    static final Duration MIN_STEP_GAP = Duration.ofMillis(200);
    /** How soon to try again while AWS resources are still being removed on deletion. */
    static final Duration CLEANUP_RETRY = Duration.ofSeconds(5);

    private final OperatorConfig config;
    private final EventRecorder events;
    private final AwsResources aws;
    private final SelfHealing selfHealing;
    private final DecisionEffector effector;
    private final Drills drills;
    private final StatusReporter report;
    private final PlatformMemory memory;
    private final Leadership leadership;
    private final ReconcileTrigger trigger;
    private final HeartbeatLoop heartbeatLoop;
    private final Clock clock = Clock.systemUTC();

    public RealtimePlatformReconciler(OperatorConfig config, EventRecorder events, AwsResources aws,
            SelfHealing selfHealing, DecisionEffector effector, Drills drills, StatusReporter report,
            PlatformMemory memory, Leadership leadership, ReconcileTrigger trigger, HeartbeatLoop heartbeatLoop) {
        this.trigger = trigger;
        this.heartbeatLoop = heartbeatLoop;
        this.config = config;
        this.events = events;
        this.aws = aws;
        this.selfHealing = selfHealing;
        this.effector = effector;
        this.drills = drills;
        this.report = report;
        this.memory = memory;
        this.leadership = leadership;
    }

    /** Pods of the platform's workloads, for health signals (event-driven, never polled). */
    @Override
    public List<EventSource<?, RealtimePlatform>> prepareEventSources(EventSourceContext<RealtimePlatform> context) {
        var pods = InformerEventSourceConfiguration.from(Pod.class, RealtimePlatform.class)
                .withName("pods")
                .withLabelSelector(WorkloadLabels.MANAGED_SELECTOR)
                .withItemStore(new WithoutManagedFieldsStore<>())
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(labels -> labels.get("app.kubernetes.io/instance"))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        // and the heartbeat loop's "step now" (a peer suspected, a peer's vote or phase changed)
        return List.of(new InformerEventSource<>(pods, context), trigger.source());
    }

    @Override
    public UpdateControl<RealtimePlatform> reconcile(RealtimePlatform platform, Context<RealtimePlatform> context) {
        ReconcilePass pass = ReconcilePass.start(platform, context, config.region())
                .compose(this::resumeHeartbeat)         // a new leader says at once that the region's operator lives
                .compose(this::gatherAws)               // session table, this region's record and health check
                .compose(this::decide)                  // signals -> decisions (pure engine); heartbeat published
                .compose(this::announceDrillStart)      // Event of a drill the annotation just started
                .compose(this::applyWorkloads)          // dependents, media-server replicas as decided
                .compose(this::carryOutDecisions)       // restarts, deletion costs, DNS weights -> history
                .compose(this::advanceDrill)            // a drill's hold ends, its region serves again
                .compose(report::buildStatus)           // the next status, from all of the above
                .compose(report::announceTransitions);  // an Event per condition transition
        UpdateControl<RealtimePlatform> control = report.patchIfChanged(pass); // status written only on change
        Optional<Duration> next = comeBackIn(pass, quietWait(pass), clock.instant()); // no watch on AWS, peers, relays
        next.ifPresent(control::rescheduleAfter);
        LOG.debugf("%s/%s: next step without an event in %s", platform.getMetadata().getNamespace(),
                platform.getMetadata().getName(), next.map(Duration::toString).orElse("never"));
        return control;
    }

    /**
     * Report, ahead of everything: on this process's first step of the platform, the region's heartbeat as the
     * previous leader left it, now, so that a leader change fits inside the peers' stale-after window (the first
     * full step reads every AWS resource first). See {@link SelfHealing#resumeHeartbeat}.
     */
    private ReconcilePass resumeHeartbeat(ReconcilePass pass) {
        if (pass.input().listed()) {
            selfHealing.resumeHeartbeat(pass.platform(), pass.input().region());
        }
        return pass;
    }

    /** Gather: the AWS side, read only when something can have changed (cached between drift checks). */
    private ReconcilePass gatherAws(ReconcilePass pass) {
        if (!pass.input().listed()) {
            return pass;
        }
        String loadBalancer = loadBalancerAddress(pass.input().context()).orElse(null);
        AwsReport report = aws.reconcile(pass.platform(), pass.input().region(), loadBalancer);
        recordConvergence(pass.platform(), report);
        return pass.withAws(Optional.of(report));
    }

    /** Report: whether each AWS resource is as the spec says (0 while drift is corrected or a change pends). */
    private void recordConvergence(RealtimePlatform platform, AwsReport report) {
        for (Condition condition : List.of(report.sessionStoreReady(), report.dnsReady())) {
            memory.gauge(platform, MetricNames.AWS_RESOURCE_CONVERGED, Tags.of("resource", condition.getType()),
                    "True".equals(condition.getStatus()) ? 1 : 0);
        }
    }

    /** Gather the health signals and decide (see SelfHealing); publishes this region's heartbeat. */
    private ReconcilePass decide(ReconcilePass pass) {
        if (!pass.input().listed()) {
            heartbeatLoop.unwatch(PlatformKey.of(pass.platform()));
            return pass;
        }
        ReconcilePass.Input in = pass.input();
        SelfHealing.Step step = selfHealing.decide(in.platform(), in.region(), in.media(), in.signaling(),
                in.context().getSecondaryResources(Pod.class), pass.aws().map(AwsReport::dnsWeight).orElse(null),
                aws.route53Healthy(in.platform(), in.region()));
        return pass.withHealing(Optional.of(step));
    }

    /** Act: the Event of a drill started while deciding (deciding emits none). */
    private ReconcilePass announceDrillStart(ReconcilePass pass) {
        pass.healing().flatMap(SelfHealing.Step::drillStarted)
                .ifPresent(drill -> drills.announceStarted(pass.platform(), drill));
        return pass;
    }

    /**
     * Act: this region's workloads, with the media-server replica target (pre-scaling) the engine decided;
     * the pass goes on with the Deployments as applied.
     */
    private ReconcilePass applyWorkloads(ReconcilePass pass) {
        var workflow = pass.input().context().managedWorkflowAndDependentResourceContext();
        workflow.put(MediaServerDeploymentDependent.REPLICAS_KEY, ReplicaTargets.mediaServer(
                pass.platform().getSpec().mediaServer.replicas, pass.input().media(), pass.decisions()));
        workflow.reconcileManagedWorkflow();
        var context = pass.input().context();
        return pass.withWorkloads(context.getSecondaryResource(Deployment.class, MEDIA_SERVER_DEPLOYMENT),
                context.getSecondaryResource(Deployment.class, SIGNALING_DEPLOYMENT));
    }

    /** Act: restarts, deletion costs and DNS changes; every decision becomes a history entry. */
    private ReconcilePass carryOutDecisions(ReconcilePass pass) {
        List<HistoryEntry> history = pass.decisions().map(d -> effector.carryOut(pass.platform(), d))
                .orElse(List.of());
        return pass.withHistory(history);
    }

    /** Act: a running drill moves on after the step; the latest drill goes to status. */
    private ReconcilePass advanceDrill(ReconcilePass pass) {
        pass.decisions().ifPresent(d -> drills.afterStep(pass.platform(), d.localPhase(), clock.instant()));
        return pass.withDrill(drills.current(pass.platform()));
    }

    /**
     * AWS, peers and relays have no watch: come back one heartbeat interval after this step's heartbeat, or after
     * the quiet wait of a platform that needs no step every interval ({@link StepCadence}); sooner for pending AWS
     * changes. A region not listed waits for the platform to change.
     */
    private static Optional<Duration> comeBackIn(ReconcilePass pass, Optional<Duration> quietWait, Instant now) {
        if (!pass.input().listed()) {
            return Optional.empty();
        }
        Duration interval = Duration.ofSeconds(pass.platform().getSpec().failover.heartbeatIntervalSeconds);
        Duration heartbeat = pass.decisions().map(d -> untilNextHeartbeat(interval, d.at(), now)).orElse(interval);
        Duration step = quietWait.orElse(heartbeat);
        Duration awsCheck = pass.aws().map(AwsReport::nextCheckIn).orElse(step);
        return Optional.of(awsCheck.compareTo(step) < 0 ? awsCheck : step);
    }

    /** Decide: how long a platform with nothing moving may wait for its next step (see {@link StepCadence}). */
    private Optional<Duration> quietWait(ReconcilePass pass) {
        var platform = pass.platform();
        return pass.decisions().flatMap(d -> memory.observations(platform.getMetadata().getNamespace(),
                platform.getMetadata().getName()).flatMap(o -> StepCadence.quietWait(platform.getSpec(),
                        pass.input().region(), d, o)));
    }

    /**
     * The next heartbeat is due one interval after this one was stamped, not one interval after the step ended:
     * otherwise a step that takes a second on a busy node stretches a 2 s interval to 3 s and more, and eats into
     * the time the peers allow a leader change before they call the region stale. At least
     * {@link #MIN_STEP_GAP} (a step longer than the interval is followed at once, but not in a busy loop).
     */
    static Duration untilNextHeartbeat(Duration interval, Instant heartbeatAt, Instant now) {
        Duration left = interval.minus(Duration.between(heartbeatAt, now));
        return left.compareTo(MIN_STEP_GAP) < 0 ? MIN_STEP_GAP : left;
    }

    @Override
    public ErrorStatusUpdateControl<RealtimePlatform> updateErrorStatus(RealtimePlatform platform,
            Context<RealtimePlatform> context, Exception error) {
        if (leadership.shuttingDown()) {
            // A reconcile cut short by this replica's shutdown (a rollout, a node drain) is no failure of the
            // platform: no Warning Event, no failed status, and no API calls that delay the Lease's release.
            LOG.infof("Reconciling %s/%s stopped by this replica's shutdown: %s", platform.getMetadata().getNamespace(),
                    platform.getMetadata().getName(), error.toString());
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        FailureReason failure = FailureReason.of(error);
        LOG.warnf(error, "Reconciling %s/%s failed: %s", platform.getMetadata().getNamespace(),
                platform.getMetadata().getName(), failure.message());
        events.warning(platform, failure.reason(), failure.message());
        return report.failed(platform, failure);
    }

    @Override
    public DeleteControl cleanup(RealtimePlatform platform, Context<RealtimePlatform> context) {
        // Kubernetes workloads carry owner references and go with the resource (garbage collection);
        // the finalizer exists for this region's AWS resources (record, health check; the table only
        // with deletionPolicy Delete).
        CleanupResult result = aws.cleanup(platform, config.region());
        memory.forget(platform);
        heartbeatLoop.unwatch(PlatformKey.of(platform));
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
}
