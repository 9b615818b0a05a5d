package dev.lifeline.operator.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.policy.QuorumPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

class ReplicaTargetsTest {

    private final ReplicaRange bounds = new ReplicaRange(2, 10);

    @Test
    void appliedScaleDecisionWinsWithinBounds() {
        assertThat(ReplicaTargets.mediaServer(bounds, current(3), decisions(scale(3, 7, Decision.Execution.APPLY))))
                .isEqualTo(7);
        assertThat(ReplicaTargets.mediaServer(bounds, current(3), decisions(scale(3, 50, Decision.Execution.APPLY))))
                .isEqualTo(10);
    }

    @Test
    void dryRunScaleDoesNotChangeReplicas() {
        assertThat(ReplicaTargets.mediaServer(bounds, current(3), decisions(scale(3, 7, Decision.Execution.DRY_RUN))))
                .isEqualTo(3);
    }

    @Test
    void withoutDecisionTheCurrentCountIsKeptAndClampedToTheSpec() {
        assertThat(ReplicaTargets.mediaServer(bounds, current(6), Optional.empty())).isEqualTo(6);
        assertThat(ReplicaTargets.mediaServer(bounds, current(1), Optional.empty())).isEqualTo(2);
        assertThat(ReplicaTargets.mediaServer(bounds, Optional.empty(), Optional.empty())).isEqualTo(2);
    }

    private static Optional<Deployment> current(int replicas) {
        return Optional.of(new DeploymentBuilder().withNewSpec().withReplicas(replicas).endSpec().build());
    }

    private static Decision scale(int from, int to, Decision.Execution execution) {
        return new Decision(new Action.ScaleTo("us-east-1", Component.MEDIA_SERVER, from, to), "pre-scale", execution);
    }

    private static Optional<Decisions> decisions(Decision decision) {
        return Optional.of(new Decisions(Instant.EPOCH, List.of(decision), EngineState.initial(), Phase.SERVING, 100,
                Map.of(), new QuorumPolicy.Verdict(java.util.Set.of(), java.util.Set.of(), false, Map.of(), Map.of(), Map.of(), 0), Map.of(), List.of()));
    }
}
