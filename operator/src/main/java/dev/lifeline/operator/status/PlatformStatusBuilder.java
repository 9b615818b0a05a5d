package dev.lifeline.operator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.DnsStatus;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.api.SessionStoreStatus;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.api.RegionStatus;
import dev.lifeline.operator.policy.ServiceState;
import dev.lifeline.operator.policy.SilentControlPlane;
import dev.lifeline.operator.workload.RegionListedCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Pure: what the status of a platform should say, from what this region's operator observed.
 * Effects (patching, Events) are the reconciler's job.
 */
public final class PlatformStatusBuilder {

    /**
     * What the reconciler observed in one pass.
     *
     * @param externalConditions conditions owned by other parts (SessionStoreReady, DnsReady); Ready needs them True
     * @param externalDegraded   a Degraded condition from another part (the AWS side), used when it is True
     */
    public record Observation(RealtimePlatform platform, String region, Optional<Deployment> mediaServer,
            Optional<Deployment> signaling, List<Condition> externalConditions, Optional<Condition> externalDegraded,
            Optional<SelfHealingView> selfHealing) {

        public Observation(RealtimePlatform platform, String region, Optional<Deployment> mediaServer,
                Optional<Deployment> signaling, List<Condition> externalConditions) {
            this(platform, region, mediaServer, signaling, externalConditions, Optional.empty(), Optional.empty());
        }
    }

    /**
     * What the decision engine concluded, for status: region health, this region's breakers and
     * DNS weight, the decisions carried out (history), and a coordination problem if any.
     */
    public record SelfHealingView(Map<String, RegionHealth> health, List<BreakerStatus> localBreakers, int localWeight,
            List<HistoryEntry> newHistory, Optional<String> coordinationProblem,
            Map<String, SilentControlPlane> silentControlPlanes) {

        public SelfHealingView(Map<String, RegionHealth> health, List<BreakerStatus> localBreakers, int localWeight,
                List<HistoryEntry> newHistory, Optional<String> coordinationProblem) {
            this(health, localBreakers, localWeight, newHistory, coordinationProblem, Map.of());
        }
    }

    /** status.history keeps this many decisions, newest last. */
    public static final int HISTORY_LIMIT = 20;

    private PlatformStatusBuilder() {
    }

    public static RealtimePlatformStatus build(Observation observation, RealtimePlatformStatus previous, Instant now) {
        return build(observation, previous, null, null, now);
    }

    /** The next status, with the session table's and DNS status from the AWS side (null when not known). */
    public static RealtimePlatformStatus build(Observation observation, RealtimePlatformStatus previous,
            SessionStoreStatus sessionStore, DnsStatus dns, Instant now) {
        RealtimePlatform platform = observation.platform();
        RealtimePlatformStatus next = copyOf(previous);
        next.observedGeneration = platform.getMetadata().getGeneration();
        if (sessionStore != null) {
            next.sessionStore = sessionStore;
        }
        if (dns != null) {
            next.dns = dns;
        }

        Condition workloads = workloadsAvailable(observation);
        List<Condition> causes = new ArrayList<>();
        causes.add(workloads);
        causes.addAll(observation.externalConditions());
        List<Condition> desired = new ArrayList<>();
        desired.add(ready(workloads, observation.externalConditions()));
        desired.addAll(causes);
        desired.addAll(ProgressConditions.afterReconcile(causes, rollingOut(observation)));
        observation.selfHealing().ifPresent(view -> desired.add(regionsHealthy(view)));
        observation.selfHealing().ifPresent(view -> desired.add(controlPlaneSilent(view)));
        desired.add(observation.externalDegraded().filter(c -> ConditionTypes.TRUE.equals(c.getStatus()))
                .orElse(Conditions.of(ConditionTypes.DEGRADED, ConditionTypes.FALSE, "AsExpected",
                        "No failure observed in the last reconciliation.")));
        List<Condition> previousConditions = previous == null ? List.of() : previous.conditions;
        next.conditions = Conditions.merge(previousConditions, desired, next.observedGeneration, now);

        next.regions = regions(observation, ConditionTypes.TRUE.equals(workloads.getStatus()));
        observation.selfHealing().ifPresent(view -> {
            List<HistoryEntry> history = new ArrayList<>(next.history);
            history.addAll(view.newHistory());
            next.history = new ArrayList<>(history.subList(Math.max(0, history.size() - HISTORY_LIMIT), history.size()));
        });
        long healthy = next.regions.stream().filter(r -> RegionHealth.HEALTHY.statusName().equals(r.health)).count();
        next.healthyRegions = healthy + "/" + next.regions.size();
        return next;
    }

    /**
     * The status after a failed reconciliation: Ready false, Degraded true with the failure's reason,
     * Stalled or Reconciling (retried) as the failure says, and observedGeneration current: the failure is
     * this generation's outcome, so GitOps tools report it instead of waiting for the generation forever.
     */
    public static RealtimePlatformStatus failed(RealtimePlatform platform, RealtimePlatformStatus previous,
            FailureReason failure, Instant now) {
        RealtimePlatformStatus next = copyOf(previous);
        Long generation = platform.getMetadata().getGeneration();
        next.observedGeneration = generation == null ? 0L : generation;
        List<Condition> desired = new ArrayList<>(List.of(
                Conditions.of(ConditionTypes.READY, ConditionTypes.FALSE, failure.reason(), failure.message()),
                Conditions.of(ConditionTypes.DEGRADED, ConditionTypes.TRUE, failure.reason(), failure.message())));
        desired.addAll(ProgressConditions.afterFailure(failure));
        List<Condition> previousConditions = previous == null ? List.of() : previous.conditions;
        next.conditions = Conditions.merge(previousConditions, desired, next.observedGeneration, now);
        return next;
    }

    /** A message while a Deployment has not rolled out its current spec to every replica (kstatus' rule for Deployments). */
    static Optional<String> rollingOut(Observation observation) {
        List<String> rolling = new ArrayList<>();
        ReplicaCount media = ReplicaCount.of(observation.mediaServer());
        ReplicaCount signaling = ReplicaCount.of(observation.signaling());
        if (!media.rolledOut()) {
            rolling.add("media-server " + media.updated() + "/" + media.desired());
        }
        if (!signaling.rolledOut()) {
            rolling.add("signaling " + signaling.updated() + "/" + signaling.desired());
        }
        return rolling.isEmpty() ? Optional.empty()
                : Optional.of("Rolling out the current spec: " + String.join(", ", rolling) + " replicas updated.");
    }

    static Condition workloadsAvailable(Observation observation) {
        RealtimePlatform platform = observation.platform();
        if (!RegionListedCondition.isListed(platform, observation.region())) {
            String listed = platform.getSpec().regions.stream().map(r -> r.name).collect(Collectors.joining(", "));
            return Conditions.of(ConditionTypes.WORKLOADS_AVAILABLE, ConditionTypes.FALSE, "RegionNotListed",
                    "This operator runs in region " + observation.region() + ", which is not in spec.regions ["
                            + listed + "]: no workloads are deployed here. Add the region to spec.regions, or apply "
                            + "the resource only in the clusters of the listed regions.");
        }
        ReplicaCount media = ReplicaCount.of(observation.mediaServer());
        ReplicaCount signaling = ReplicaCount.of(observation.signaling());
        String counts = "media-server " + media + ", signaling " + signaling + " replicas available";
        if (media.isAvailable() && signaling.isAvailable()) {
            return Conditions.of(ConditionTypes.WORKLOADS_AVAILABLE, ConditionTypes.TRUE, "Available", counts + ".");
        }
        return Conditions.of(ConditionTypes.WORKLOADS_AVAILABLE, ConditionTypes.FALSE, Conditions.PROGRESSING,
                counts + ". Waiting for pods; if this persists, check `kubectl get pods -l app.kubernetes.io/instance="
                        + platform.getMetadata().getName() + "` for pending, crash-looping or unpullable pods.");
    }

    static Condition regionsHealthy(SelfHealingView view) {
        if (view.coordinationProblem().isPresent()) {
            return Conditions.of(ConditionTypes.REGIONS_HEALTHY, ConditionTypes.UNKNOWN, "CoordinationUnavailable",
                    view.coordinationProblem().get());
        }
        List<String> unhealthy = view.health().entrySet().stream()
                .filter(e -> e.getValue() != RegionHealth.HEALTHY)
                .map(e -> e.getKey() + " " + e.getValue()).sorted().toList();
        if (unhealthy.isEmpty()) {
            return Conditions.of(ConditionTypes.REGIONS_HEALTHY, ConditionTypes.TRUE, "AllHealthy",
                    "Every region is healthy.");
        }
        if (view.health().values().stream().allMatch(h -> h == RegionHealth.HEALTHY || h == RegionHealth.UNKNOWN)) {
            // No evidence against any region (a new platform's first steps, a peer outside the quorum): not unhealthy.
            return Conditions.of(ConditionTypes.REGIONS_HEALTHY, ConditionTypes.UNKNOWN, Conditions.NO_VERDICT,
                    "No health verdict for: " + String.join(", ", unhealthy) + ". See status.regions.");
        }
        return Conditions.of(ConditionTypes.REGIONS_HEALTHY, ConditionTypes.FALSE, "RegionsUnhealthy",
                "Not healthy: " + String.join(", ", unhealthy) + ". See status.regions and status.history.");
    }

    /** True while a peer's operator is silent and its service alive or in doubt: never drained, but nothing heals it. */
    static Condition controlPlaneSilent(SelfHealingView view) {
        if (view.silentControlPlanes().isEmpty()) {
            return Conditions.of(ConditionTypes.CONTROL_PLANE_SILENT, ConditionTypes.FALSE, "OperatorsHeartbeating",
                    "Every peer's operator is heartbeating, or its region's service is down too.");
        }
        List<String> silent = view.silentControlPlanes().values().stream()
                .sorted(java.util.Comparator.comparing(SilentControlPlane::region))
                .map(SilentControlPlane::describe).toList();
        boolean anyDoubt = view.silentControlPlanes().values().stream()
                .anyMatch(s -> s.service() != ServiceState.ALIVE);
        return Conditions.of(ConditionTypes.CONTROL_PLANE_SILENT, ConditionTypes.TRUE,
                anyDoubt ? "ServiceInDoubt" : "ServiceAlive",
                String.join("; ", silent) + ". Not drained: a region is drained only when its service is down. Check "
                        + "the operator Deployment of the silent region (crash loop, rollout, lost leader Lease).");
    }

    static Condition ready(Condition workloads, List<Condition> external) {
        List<String> notReady = new ArrayList<>();
        if (!ConditionTypes.TRUE.equals(workloads.getStatus())) {
            notReady.add(workloads.getType() + " (" + workloads.getReason() + ")");
        }
        for (Condition c : external) {
            if (!ConditionTypes.TRUE.equals(c.getStatus())) {
                notReady.add(c.getType() + " (" + c.getReason() + ")");
            }
        }
        if (notReady.isEmpty()) {
            return Conditions.of(ConditionTypes.READY, ConditionTypes.TRUE, "Ready",
                    "Everything this region's operator manages is in place.");
        }
        return Conditions.of(ConditionTypes.READY, ConditionTypes.FALSE, "NotReady",
                "Not ready: " + String.join(", ", notReady) + ". See those conditions for details.");
    }

    private static List<RegionStatus> regions(Observation observation, boolean workloadsAvailable) {
        List<RegionStatus> regions = new ArrayList<>();
        for (RegionSpec spec : observation.platform().getSpec().regions) {
            RegionStatus region = new RegionStatus();
            region.name = spec.name;
            Optional<SelfHealingView> view = observation.selfHealing();
            if (spec.name.equals(observation.region())) {
                region.health = view.map(v -> v.health().get(spec.name))
                        .orElse(workloadsAvailable ? RegionHealth.HEALTHY : RegionHealth.DEGRADED).statusName();
                region.readyReplicas = ReplicaCount.of(observation.mediaServer()).ready();
                region.dnsWeight = view.map(SelfHealingView::localWeight).orElse(spec.drain ? 0 : spec.weight);
                view.ifPresent(v -> region.breakers = new ArrayList<>(v.localBreakers()));
            } else {
                // Peers' health comes from their heartbeats in the session table.
                region.health = view.map(v -> v.health().get(spec.name)).orElse(RegionHealth.UNKNOWN).statusName();
            }
            regions.add(region);
        }
        return regions;
    }

    private static RealtimePlatformStatus copyOf(RealtimePlatformStatus previous) {
        RealtimePlatformStatus next = new RealtimePlatformStatus();
        if (previous != null) {
            next.observedGeneration = previous.observedGeneration;
            next.conditions = new ArrayList<>(previous.conditions);
            next.healthyRegions = previous.healthyRegions;
            next.activeSessions = previous.activeSessions;
            next.regions = new ArrayList<>(previous.regions);
            next.sessionStore = previous.sessionStore;
            next.dns = previous.dns;
            next.history = new ArrayList<>(previous.history);
            next.drill = previous.drill;
        }
        return next;
    }

    /**
     * Desired vs available replicas of one Deployment, and whether its controller has rolled out its
     * current spec (observed its generation, every replica updated).
     */
    record ReplicaCount(int available, int desired, int ready, int updated, boolean generationObserved) {
        static ReplicaCount of(Optional<Deployment> deployment) {
            if (deployment.isEmpty()) {
                return new ReplicaCount(0, -1, 0, 0, true);
            }
            Deployment d = deployment.get();
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            var status = d.getStatus();
            int available = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
            int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
            int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
            Long generation = d.getMetadata().getGeneration();
            boolean observed = generation == null
                    || status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation;
            return new ReplicaCount(available, desired, ready, updated, observed);
        }

        /** Not created yet counts as rolled out: WorkloadsAvailable already says it is missing. */
        boolean rolledOut() {
            return desired < 0 || generationObserved && updated >= desired;
        }

        boolean isAvailable() {
            return desired >= 0 && available >= desired;
        }

        @Override
        public String toString() {
            return desired < 0 ? "not created yet" : available + "/" + desired;
        }
    }
}
