package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

class PodSignalsTest {

    private final Deployment deployment = new DeploymentBuilder().withNewSpec().withReplicas(3).endSpec()
            .withNewStatus().withReadyReplicas(2).endStatus().build();

    @Test
    void readsReadinessCrashLoopOomAndDeletionCostFromPodStatus() {
        Pod healthy = pod("a").withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        Pod crashing = pod("b").withNewStatus()
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime("2026-01-01T00:00:00Z")
                .endCondition()
                .addNewContainerStatus().withName("server").withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .endWaiting().endState().withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .endTerminated().endLastState().endContainerStatus().endStatus().build();
        crashing.getMetadata().setAnnotations(Map.of(PodSignals.DELETION_COST_ANNOTATION, "-40"));

        ComponentObservation observed = PodSignals.observe(Optional.of(deployment), List.of(crashing, healthy),
                Map.of("a", 12L)).orElseThrow();

        assertThat(observed.desiredReplicas()).isEqualTo(3);
        assertThat(observed.readyReplicas()).isEqualTo(2);
        assertThat(observed.pods()).extracting(PodObservation::name).containsExactly("a", "b");
        PodObservation a = observed.pods().get(0);
        PodObservation b = observed.pods().get(1);
        assertThat(a.ready()).isTrue();
        assertThat(a.activeSessions()).isEqualTo(12L);
        assertThat(b.ready()).isFalse();
        assertThat(b.unreadySince()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(b.crashLooping()).isTrue();
        assertThat(b.oomKilled()).isTrue();
        assertThat(b.deletionCost()).isEqualTo(-40);
    }

    @Test
    void aContainerWhoseStartupProbeHasNotPassedIsStartingNotUnready() {
        Pod starting = pod("starting").withNewStatus()
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime("2026-01-01T00:00:00Z")
                .endCondition()
                .addNewContainerStatus().withName("server").withStarted(false).withNewState().withNewRunning()
                .withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().endContainerStatus().endStatus().build();
        Pod startedButUnready = pod("unready").withNewStatus()
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime("2026-01-01T00:00:00Z")
                .endCondition()
                .addNewContainerStatus().withName("server").withStarted(true).withNewState().withNewRunning()
                .withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().endContainerStatus().endStatus().build();

        ComponentObservation observed = PodSignals.observe(Optional.of(deployment), List.of(starting, startedButUnready),
                Map.of()).orElseThrow();

        assertThat(observed.pods()).extracting(PodObservation::name, PodObservation::ready, PodObservation::unreadySince)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("starting", false, null),
                        org.assertj.core.groups.Tuple.tuple("unready", false, Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void terminatingPodsAndMalformedAnnotationsDoNotCount() {
        Pod terminating = pod("gone").build();
        terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        Pod odd = pod("odd").build();
        odd.getMetadata().setAnnotations(Map.of(PodSignals.DELETION_COST_ANNOTATION, "not-a-number"));

        ComponentObservation observed = PodSignals.observe(Optional.of(deployment), List.of(terminating, odd), Map.of())
                .orElseThrow();

        assertThat(observed.pods()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("odd");
            assertThat(p.deletionCost()).isNull();
            assertThat(p.ready()).isFalse();
        });
    }

    @Test
    void noDeploymentMeansNoObservation() {
        assertThat(PodSignals.observe(Optional.empty(), List.of(), Map.of())).isEmpty();
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp("2025-12-31T00:00:00Z")
                .endMetadata();
    }
}
