package dev.lifeline.operator.health;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.lifeline.operator.policy.RelayReport;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Pure: a component's health as the decision engine sees it, from the informer caches of its
 * Deployment and Pods (event-driven; the API server is never polled).
 */
public final class PodSignals {

    public static final String DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

    private PodSignals() {
    }

    /**
     * @param sessionsByPod live sessions per pod name, from the instances' heartbeats (may be empty)
     */
    public static Optional<ComponentObservation> observe(Optional<Deployment> deployment, Collection<Pod> pods,
            Map<String, Long> sessionsByPod) {
        return observe(deployment, pods, sessionsByPod, Map.of());
    }

    /** @param reportsByPod what each pod's fresh instance heartbeat says (full or draining, loss, lag) */
    public static Optional<ComponentObservation> observe(Optional<Deployment> deployment, Collection<Pod> pods,
            Map<String, Long> sessionsByPod, Map<String, RelayReport> reportsByPod) {
        if (deployment.isEmpty()) {
            return Optional.empty();
        }
        Deployment d = deployment.get();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
        List<PodObservation> observed = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> pod(p, sessionsByPod.get(p.getMetadata().getName()),
                        reportsByPod.getOrDefault(p.getMetadata().getName(), RelayReport.NONE)))
                .toList();
        return Optional.of(new ComponentObservation(desired, ready, observed));
    }

    static PodObservation pod(Pod pod, Long sessions) {
        return pod(pod, sessions, RelayReport.NONE);
    }

    static PodObservation pod(Pod pod, Long sessions, RelayReport relay) {
        Optional<PodCondition> readyCondition = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        boolean ready = readyCondition.map(c -> "True".equals(c.getStatus())).orElse(false);
        List<ContainerStatus> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        // Running but its startup probe has not passed yet: starting, and the kubelet is the judge (it restarts the
        // container when that probe gives up). On a busy real node the JVM took over 90 s to listen, and a restart
        // then only starts it over.
        boolean starting = containers.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null
                && Boolean.FALSE.equals(c.getStarted()));
        Instant unreadySince = ready || starting ? null
                : readyCondition.map(PodCondition::getLastTransitionTime).map(Instant::parse)
                        .orElse(creation(pod));
        boolean crashLooping = containers.stream().anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason()));
        boolean oomKilled = containers.stream().anyMatch(c -> c.getLastState() != null
                && c.getLastState().getTerminated() != null
                && "OOMKilled".equals(c.getLastState().getTerminated().getReason()));
        Integer deletionCost = Optional.ofNullable(pod.getMetadata().getAnnotations())
                .map(a -> a.get(DELETION_COST_ANNOTATION)).map(PodSignals::parseIntOrNull).orElse(null);
        return new PodObservation(pod.getMetadata().getName(), ready, unreadySince, crashLooping, oomKilled, sessions,
                deletionCost, relay);
    }

    private static Instant creation(Pod pod) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? null : Instant.parse(created);
    }

    private static Integer parseIntOrNull(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
