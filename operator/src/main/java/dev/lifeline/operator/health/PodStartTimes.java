package dev.lifeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Pure: how long the media-server pods took from creation to Ready, from the informer cache. The
 * p99 sets the forecast horizon (scale ahead by as long as a new pod takes to serve).
 */
public final class PodStartTimes {

    private PodStartTimes() {
    }

    /**
     * The nearest-rank p99 of creation → Ready over ready pods whose containers never restarted (after a
     * restart, Ready's transition time says when the restart finished, not when the pod first served).
     */
    public static Optional<Duration> p99(Collection<Pod> pods) {
        List<Duration> starts = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && neverRestarted(p))
                .flatMap(p -> startTime(p).stream())
                .sorted()
                .toList();
        if (starts.isEmpty()) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(0.99 * starts.size());
        return Optional.of(starts.get(Math.max(rank, 1) - 1));
    }

    static Optional<Duration> startTime(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null
                || pod.getMetadata().getCreationTimestamp() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
                        && c.getLastTransitionTime() != null)
                .findFirst()
                .map(c -> Duration.between(Instant.parse(pod.getMetadata().getCreationTimestamp()),
                        Instant.parse(c.getLastTransitionTime())))
                .filter(d -> !d.isNegative());
    }

    private static boolean neverRestarted(Pod pod) {
        List<ContainerStatus> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        return containers.stream().allMatch(c -> c.getRestartCount() == null || c.getRestartCount() == 0);
    }
}
