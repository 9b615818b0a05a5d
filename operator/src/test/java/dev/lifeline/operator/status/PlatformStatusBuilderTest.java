package dev.lifeline.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.policy.ServiceEvidence;
import dev.lifeline.operator.policy.ServiceSignal;
import dev.lifeline.operator.policy.ServiceState;
import dev.lifeline.operator.policy.SilentControlPlane;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.SignalingDeploymentDependent;
import dev.lifeline.operator.workload.TestPlatforms;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.StatusBuilder;

class PlatformStatusBuilderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RealtimePlatform platform = TestPlatforms.platform("meet", "us-east-1", "eu-west-1");

    @Test
    void availableWorkloadsMakeTheRegionHealthyAndThePlatformReady() {
        var observation = new PlatformStatusBuilder.Observation(platform, "us-east-1",
                Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))), List.of());

        RealtimePlatformStatus status = PlatformStatusBuilder.build(observation, null, NOW);

        assertThat(status.observedGeneration).isEqualTo(1L);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "WorkloadsAvailable").getReason()).isEqualTo("Available");
        assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
        assertThat(status.regions).extracting(r -> r.name + "=" + r.health)
                .containsExactly("us-east-1=Healthy", "eu-west-1=Unknown");
        assertThat(status.healthyRegions).isEqualTo("1/2");
    }

    @Test
    void aPeerWhoseOperatorIsSilentWhileItsServiceAnswersIsControlPlaneSilent() {
        var silent = new SilentControlPlane("eu-west-1", ServiceState.ALIVE, new ServiceEvidence(ServiceSignal.ANSWERS,
                ServiceSignal.UNKNOWN, ServiceSignal.ANSWERS), "heartbeat older than 6 s as seen by 2 of 3 regions");
        var view = new PlatformStatusBuilder.SelfHealingView(Map.of("us-east-1", RegionHealth.HEALTHY, "eu-west-1",
                RegionHealth.DEGRADED), List.of(), 100, List.of(), Optional.empty(), Map.of("eu-west-1", silent));
        var observation = new PlatformStatusBuilder.Observation(platform, "us-east-1",
                Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))), List.of(),
                Optional.empty(), Optional.of(view));

        RealtimePlatformStatus status = PlatformStatusBuilder.build(observation, null, NOW);

        Condition c = condition(status, "ControlPlaneSilent");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("ServiceAlive");
        assertThat(c.getMessage()).contains("eu-west-1", "instance heartbeats alive", "Not drained");
        assertThat(condition(status, "Ready").getStatus()).as("this region's own readiness").isEqualTo("True");
        assertThat(ConditionTypes.trueIsBad("ControlPlaneSilent")).as("a Warning Event when it turns True").isTrue();

        var quiet = new PlatformStatusBuilder.SelfHealingView(Map.of(), List.of(), 100, List.of(), Optional.empty());
        assertThat(condition(PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform, "us-east-1",
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.of(quiet)), status, NOW),
                "ControlPlaneSilent").getStatus()).isEqualTo("False");
    }

    @Test
    void missingDeploymentsAreProgressingWithAHint() {
        var observation = new PlatformStatusBuilder.Observation(platform, "us-east-1", Optional.empty(),
                Optional.empty(), List.of());

        Condition workloads = condition(PlatformStatusBuilder.build(observation, null, NOW), "WorkloadsAvailable");

        assertThat(workloads.getStatus()).isEqualTo("False");
        assertThat(workloads.getReason()).isEqualTo("Progressing");
        assertThat(workloads.getMessage()).contains("not created yet", "kubectl get pods");
    }

    @Test
    void anExternalConditionThatIsNotTrueKeepsThePlatformNotReady() {
        var observation = new PlatformStatusBuilder.Observation(platform, "us-east-1",
                Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))),
                List.of(Conditions.of("DnsReady", "False", "Throttled", "Route 53 throttled")));

        RealtimePlatformStatus status = PlatformStatusBuilder.build(observation, null, NOW);

        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getMessage()).contains("DnsReady (Throttled)");
    }

    @Test
    void operatorOutsideTheListedRegionsSaysSoAndHowToFixIt() {
        var observation = new PlatformStatusBuilder.Observation(platform, "ap-south-1", Optional.empty(),
                Optional.empty(), List.of());

        Condition workloads = condition(PlatformStatusBuilder.build(observation, null, NOW), "WorkloadsAvailable");

        assertThat(workloads.getReason()).isEqualTo("RegionNotListed");
        assertThat(workloads.getMessage()).contains("ap-south-1", "[us-east-1, eu-west-1]", "Add the region");
    }

    @Test
    void failureBecomesDegradedWithTheApiServersReason() {
        var forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("deployments.apps is forbidden").build());

        RealtimePlatformStatus status = PlatformStatusBuilder.failed(platform, null, FailureReason.of(forbidden), NOW);

        assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Degraded").getReason()).isEqualTo("Forbidden");
        assertThat(condition(status, "Ready").getMessage()).contains("deployments.apps is forbidden", "deploy/");
    }

    @Test
    void unchangedObservationGivesAnIdenticalStatus() {
        var observation = new PlatformStatusBuilder.Observation(platform, "us-east-1", Optional.empty(),
                Optional.empty(), List.of());
        RealtimePlatformStatus first = PlatformStatusBuilder.build(observation, null, NOW);
        RealtimePlatformStatus second = PlatformStatusBuilder.build(observation, first, NOW.plusSeconds(600));

        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(second))
                .as("no status write without a change").isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(first));
    }

    // --- kstatus: Reconciling, Stalled, observedGeneration (what Flux's health checks read) ---

    @Test
    void readyAndRolledOutIsNeitherReconcilingNorStalled() {
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))), List.of()), null, NOW);

        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void podsStartingAreReconcilingNotStalled() {
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.empty(), Optional.empty(), List.of()), null, NOW);

        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getReason()).isEqualTo("Progressing");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void aDeploymentNotYetAtItsGenerationIsReconcilingEvenWhenAvailable() {
        Deployment media = available(MediaServerDeploymentDependent.build(platform, "us-east-1"));
        media.getMetadata().setGeneration(3L);
        media.getStatus().setObservedGeneration(2L);
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.of(media), Optional.of(available(SignalingDeploymentDependent.build(platform,
                        "us-east-1"))), List.of()), null, NOW);

        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getReason()).isEqualTo("RollingOut");
        assertThat(condition(status, "Reconciling").getMessage()).contains("media-server");
    }

    @Test
    void aCauseOnlyAPersonCanFixIsStalled() {
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))),
                List.of(Conditions.of("SessionStoreReady", "False", "AccessDenied", "dynamodb:DescribeTable denied"))),
                null, NOW);

        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Stalled").getReason()).isEqualTo("AccessDenied");
        assertThat(condition(status, "Stalled").getMessage()).contains("SessionStoreReady", "dynamodb:DescribeTable");
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
    }

    @Test
    void aRegionNotListedIsStalled() {
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "ap-south-1", Optional.empty(), Optional.empty(), List.of()), null, NOW);

        assertThat(condition(status, "Stalled").getReason()).isEqualTo("RegionNotListed");
    }

    @Test
    void throttlingIsRetriedSoReconcilingNotStalled() {
        RealtimePlatformStatus status = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.of(available(MediaServerDeploymentDependent.build(platform, "us-east-1"))),
                Optional.of(available(SignalingDeploymentDependent.build(platform, "us-east-1"))),
                List.of(Conditions.of("DnsReady", "False", "Throttled", "Route 53 throttled"))), null, NOW);

        assertThat(condition(status, "Reconciling").getReason()).isEqualTo("Throttled");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    @Test
    void aFailedReconcileReportsTheCurrentGeneration() {
        RealtimePlatformStatus before = PlatformStatusBuilder.build(new PlatformStatusBuilder.Observation(platform,
                "us-east-1", Optional.empty(), Optional.empty(), List.of()), null, NOW);
        platform.getMetadata().setGeneration(2L);
        var forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("poddisruptionbudgets.policy is forbidden").build());

        RealtimePlatformStatus status = PlatformStatusBuilder.failed(platform, before, FailureReason.of(forbidden), NOW);

        assertThat(before.observedGeneration).isEqualTo(1L);
        assertThat(status.observedGeneration).as("the failure is generation 2's outcome").isEqualTo(2L);
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Stalled").getReason()).isEqualTo("Forbidden");
        assertThat(condition(status, "Stalled").getObservedGeneration()).isEqualTo(2L);
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("False");
    }

    @Test
    void aTransientFailureIsRetriedSoReconciling() {
        var conflict = new KubernetesClientException(new StatusBuilder().withCode(409)
                .withMessage("the object has been modified").build());

        RealtimePlatformStatus status = PlatformStatusBuilder.failed(platform, null, FailureReason.of(conflict), NOW);

        assertThat(status.observedGeneration).isEqualTo(1L);
        assertThat(condition(status, "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Reconciling").getReason()).isEqualTo("Conflict");
        assertThat(condition(status, "Stalled").getStatus()).isEqualTo("False");
    }

    /** As the Deployment controller reports a finished rollout: generation observed, every replica updated and available. */
    private static Deployment available(Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withAvailableReplicas(replicas)
                .withReadyReplicas(replicas).withUpdatedReplicas(replicas)
                .withObservedGeneration(deployment.getMetadata().getGeneration()).build());
        return deployment;
    }

    private static Condition condition(RealtimePlatformStatus status, String type) {
        return Conditions.find(status.conditions, type).orElseThrow();
    }

    @Test
    void regionsWithoutAVerdictAreAnUnknownNotAnUnhealthyRegion() {
        Condition noVerdict = PlatformStatusBuilder.regionsHealthy(new PlatformStatusBuilder.SelfHealingView(Map.of(
                "us-east-1", RegionHealth.UNKNOWN, "eu-west-1", RegionHealth.HEALTHY), List.of(), 100, List.of(),
                Optional.empty()));
        assertThat(noVerdict.getStatus()).isEqualTo("Unknown");
        assertThat(noVerdict.getReason()).isEqualTo(Conditions.NO_VERDICT);
        assertThat(noVerdict.getMessage()).contains("us-east-1 Unknown").doesNotContain("eu-west-1");
        assertThat(Conditions.warns(noVerdict)).as("a doubt, no Warning").isFalse();

        Condition unhealthy = PlatformStatusBuilder.regionsHealthy(new PlatformStatusBuilder.SelfHealingView(Map.of(
                "us-east-1", RegionHealth.UNKNOWN, "eu-west-1", RegionHealth.DEGRADED), List.of(), 100, List.of(),
                Optional.empty()));
        assertThat(unhealthy.getStatus()).isEqualTo("False");
        assertThat(unhealthy.getReason()).isEqualTo("RegionsUnhealthy");
        assertThat(Conditions.warns(unhealthy)).isTrue();
    }
}
