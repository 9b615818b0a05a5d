package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class PodStartTimesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void p99OfCreationToReadyOverPodsThatNeverRestarted() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            pods.add(pod("media-" + i, Duration.ofSeconds(10L * i), 0));
        }
        pods.add(pod("restarted", Duration.ofHours(2), 3)); // its Ready time is the restart's, not the start's
        assertThat(PodStartTimes.p99(pods)).contains(Duration.ofSeconds(100));
    }

    @Test
    void unknownWithoutAReadyPod() {
        Pod starting = new PodBuilder(pod("starting", Duration.ofSeconds(5), 0)).editStatus().editFirstCondition()
                .withStatus("False").endCondition().endStatus().build();
        assertThat(PodStartTimes.p99(List.of(starting))).isEmpty();
        assertThat(PodStartTimes.p99(List.of())).isEmpty();
    }

    private static Pod pod(String name, Duration startedIn, int restarts) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(T0.toString()).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime(T0.plus(startedIn).toString()).endCondition()
                .addNewContainerStatus().withName("server").withRestartCount(restarts).endContainerStatus()
                .endStatus().build();
    }
}
