package dev.lifeline.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The pure desired-state builders, without a cluster. */
class WorkloadBuildersTest {

    private final RealtimePlatform platform = TestPlatforms.platform("meet", "us-east-1", "eu-west-1");

    @Test
    void mediaServerDeploymentCarriesSpecValuesProbesAndSpread() {
        platform.getSpec().mediaServer.replicas.min = 4;
        platform.getSpec().mediaServer.udpPort = 41000;
        platform.getSpec().mediaServer.image = "registry.example.com/rtc/media:1.2.3";

        Deployment deployment = MediaServerDeploymentDependent.build(platform, "eu-west-1");

        assertThat(deployment.getMetadata().getName()).isEqualTo("meet-media-server");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("rtc");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(4);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels())
                .containsEntry("lifeline.dev/region", "eu-west-1");
        Container server = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(server.getImage()).isEqualTo("registry.example.com/rtc/media:1.2.3");
        assertThat(server.getPorts()).extracting(p -> p.getName() + ":" + p.getProtocol() + ":" + p.getContainerPort())
                .containsExactly("media:UDP:41000", "http:TCP:8080");
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(server.getStartupProbe().getPeriodSeconds() * server.getStartupProbe().getFailureThreshold())
                .as("a JVM's start-up on a busy node").isEqualTo(PodTemplates.STARTUP_SECONDS);
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(server.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("drain deadline + margin").isEqualTo(60 + MediaServerDeploymentDependent.SHUTDOWN_MARGIN_SECONDS);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .extracting(c -> c.getTopologyKey() + "/" + c.getWhenUnsatisfiable())
                .containsExactly("topology.kubernetes.io/zone/ScheduleAnyway", "kubernetes.io/hostname/ScheduleAnyway");
    }

    @Test
    void signalingDeploymentUsesItsOwnPortResourcesAndRole() {
        platform.getSpec().signaling.port = 9443;
        platform.getSpec().signaling.resources.limits.cpu = "3";

        Deployment deployment = SignalingDeploymentDependent.build(platform, "us-east-1");

        Container server = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(deployment.getMetadata().getName()).isEqualTo("meet-signaling");
        assertThat(server.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9443));
        assertThat(server.getResources().getLimits().get("cpu").toString()).isEqualTo("3");
        assertThat(server.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("LIFELINE_ROLE");
            assertThat(e.getValue()).isEqualTo("signaling");
        }).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("QUARKUS_HTTP_PORT");
            assertThat(e.getValue()).isEqualTo("9443");
        }).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("LIFELINE_TOKEN_SECRET");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("meet-signing");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token-secret");
        });
    }

    @Test
    void configurationChangeChangesThePodTemplateHashSoPodsRoll() {
        String before = MediaServerDeploymentDependent.build(platform, "us-east-1").getSpec().getTemplate()
                .getMetadata().getAnnotations().get(PodTemplates.CONFIG_HASH_ANNOTATION);
        String same = MediaServerDeploymentDependent.build(platform, "us-east-1").getSpec().getTemplate()
                .getMetadata().getAnnotations().get(PodTemplates.CONFIG_HASH_ANNOTATION);
        platform.getSpec().failover.detection.heartbeatIntervalMillis = 750;
        String after = MediaServerDeploymentDependent.build(platform, "us-east-1").getSpec().getTemplate()
                .getMetadata().getAnnotations().get(PodTemplates.CONFIG_HASH_ANNOTATION);

        assertThat(same).as("deterministic").isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void servicesExposeMediaOverUdpAndSignalingThroughALoadBalancer() {
        Service media = MediaServerServiceDependent.build(platform, "us-east-1");
        Service signaling = SignalingServiceDependent.build(platform, "us-east-1");

        assertThat(media.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(media.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort() + "->" + p.getTargetPort().getStrVal())
                .containsExactly("UDP/40000->media", "TCP/8080->http");
        assertThat(signaling.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(signaling.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(signaling.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "signaling");
    }

    @Test
    void disruptionBudgetsAllowOneVoluntaryEvictionAtATime() {
        PodDisruptionBudget media = MediaServerPdbDependent.build(platform, "us-east-1");
        PodDisruptionBudget signaling = SignalingPdbDependent.build(platform, "us-east-1");

        assertThat(media.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(media.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "media-server");
        assertThat(signaling.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "signaling");
    }

    @Test
    void configMapTellsBothComponentsTheirRegionTableAndPorts() {
        ConfigMap config = PlatformConfigMapDependent.build(platform, "eu-west-1");

        assertThat(config.getMetadata().getName()).isEqualTo("meet-config");
        assertThat(config.getData()).containsEntry("LIFELINE_REGION", "eu-west-1")
                .containsEntry("LIFELINE_REGIONS", "us-east-1,eu-west-1")
                .containsEntry("LIFELINE_SESSION_TABLE", "meet-sessions")
                .containsEntry("LIFELINE_MEDIA_UDP_PORT", "40000")
                .containsEntry("LIFELINE_MEDIA_CAPACITY", "500")
                .containsEntry("LIFELINE_HEARTBEAT_INTERVAL", "500ms")
                .containsEntry("LIFELINE_DRAIN_DEADLINE", "60s")
                .doesNotContainKey("LIFELINE_SIGNALING_ENDPOINTS");
    }

    @Test
    void configMapListsTheSignalingEndpointOfEveryRegionWithAnEndpoint() {
        platform.getSpec().regions.get(0).endpoint = "media-us.example.com";
        platform.getSpec().regions.get(1).endpoint = "203.0.113.7";
        platform.getSpec().regions.get(1).drain = true;
        platform.getSpec().signaling.port = 8443;

        assertThat(PlatformConfigMapDependent.build(platform, "eu-west-1").getData()).containsEntry(
                "LIFELINE_SIGNALING_ENDPOINTS",
                "us-east-1=ws://media-us.example.com:8443/signal,eu-west-1=ws://203.0.113.7:8443/signal");

        platform.getSpec().regions.get(1).endpoint = null;
        assertThat(PlatformConfigMapDependent.build(platform, "eu-west-1").getData())
                .containsEntry("LIFELINE_SIGNALING_ENDPOINTS", "us-east-1=ws://media-us.example.com:8443/signal");
    }

    @Test
    void withoutWorkloadEnvironmentPodsUseAwsDefaults() {
        ConfigMap config = PlatformConfigMapDependent.build(platform, "eu-west-1", WorkloadEnvironment.NONE);
        Container server = MediaServerDeploymentDependent.build(platform, "eu-west-1").getSpec().getTemplate().getSpec()
                .getContainers().get(0);

        assertThat(config.getData()).doesNotContainKey("LIFELINE_DYNAMODB_ENDPOINT");
        assertThat(server.getEnvFrom()).singleElement().satisfies(e -> assertThat(e.getConfigMapRef().getName())
                .isEqualTo("meet-config"));
    }

    @Test
    void workloadEnvironmentGivesThePodsAnEmulatorEndpointAndCredentials() {
        WorkloadEnvironment emulator = new WorkloadEnvironment(Optional.of("http://10.0.0.5:5000"), Optional.of("aws-dummy"));

        ConfigMap config = PlatformConfigMapDependent.build(platform, "eu-west-1", emulator);
        var template = PodTemplates.build(platform, dev.lifeline.operator.api.Component.MEDIA_SERVER, "eu-west-1",
                new PodTemplates.ContainerShape("media:1", List.of(), 8080, null, 30), emulator);

        assertThat(config.getData()).containsEntry("LIFELINE_DYNAMODB_ENDPOINT", "http://10.0.0.5:5000");
        assertThat(template.getSpec().getContainers().get(0).getEnvFrom())
                .extracting(e -> e.getConfigMapRef() != null ? "configMap:" + e.getConfigMapRef().getName()
                        : "secret:" + e.getSecretRef().getName())
                .containsExactly("configMap:meet-config", "secret:aws-dummy");
        assertThat(template.getMetadata().getAnnotations().get(PodTemplates.CONFIG_HASH_ANNOTATION))
                .as("a new endpoint rolls the pods")
                .isNotEqualTo(PlatformConfigMapDependent.hash(platform, "eu-west-1", WorkloadEnvironment.NONE));
        assertThat(new WorkloadEnvironment(Optional.of(" "), Optional.of(""))).isEqualTo(WorkloadEnvironment.NONE);
    }

    @Test
    void configMapHandsTheMediaServerTheWholeHeartbeatClock() {
        // The relays heartbeat at the failure detector's cadence, which the peers judge their silence by.
        platform.getSpec().failover.detection.heartbeatIntervalMillis = 300;
        platform.getSpec().failover.staleAfterSeconds = 9;

        ConfigMap config = PlatformConfigMapDependent.build(platform, "eu-west-1");

        assertThat(config.getData()).containsEntry("LIFELINE_HEARTBEAT_INTERVAL", "300ms")
                .containsEntry("LIFELINE_HEARTBEAT_STALE_AFTER", "9s");
    }

    @Test
    void everyResourceIsControlledByThePlatformAndLabelledAsManaged() {
        List<HasMetadata> all = List.of(PlatformConfigMapDependent.build(platform, "us-east-1"),
                MediaServerDeploymentDependent.build(platform, "us-east-1"),
                SignalingDeploymentDependent.build(platform, "us-east-1"),
                MediaServerServiceDependent.build(platform, "us-east-1"),
                SignalingServiceDependent.build(platform, "us-east-1"),
                MediaServerPdbDependent.build(platform, "us-east-1"),
                SignalingPdbDependent.build(platform, "us-east-1"),
                MediaServerNetworkPolicyDependent.build(platform, "us-east-1"),
                SignalingNetworkPolicyDependent.build(platform, "us-east-1"),
                WorkloadServiceAccountDependent.build(platform, "us-east-1", WorkloadEnvironment.NONE));

        assertThat(all).allSatisfy(r -> {
            assertThat(r.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getUid()).isEqualTo("uid-meet");
                assertThat(o.getController()).isTrue();
            });
            assertThat(r.getMetadata().getLabels()).containsEntry(WorkloadLabels.MANAGED_BY, WorkloadLabels.MANAGED_BY_VALUE)
                    .containsEntry("app.kubernetes.io/instance", "meet");
        });
    }

    // --- hardening: what restricted Pod Security, Kyverno/Gatekeeper policies and linters check ---

    @Test
    void bothComponentsRunHardenedWithTheirOwnServiceAccount() {
        for (Deployment deployment : List.of(MediaServerDeploymentDependent.build(platform, "us-east-1"),
                SignalingDeploymentDependent.build(platform, "us-east-1"))) {
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).as("not the default, not the operator's").isEqualTo("meet-media-server");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            Container server = pod.getContainers().get(0);
            assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(server.getResources().getRequests().get("ephemeral-storage")).hasToString("64Mi");
            assertThat(server.getResources().getLimits().get("ephemeral-storage")).hasToString("256Mi");
            assertThat(server.getResources().getRequests()).as("spec values kept").containsKeys("cpu", "memory");
            assertThat(pod.getVolumes()).singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).hasToString("128Mi"));
            assertThat(pod.getTopologySpreadConstraints()).as("replicas > 1 never share a node when avoidable")
                    .anySatisfy(c -> assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        }
    }

    @Test
    void workloadServiceAccountCarriesTheIrsaRoleOnlyWhenConfigured() {
        var irsa = new WorkloadEnvironment(Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:iam::111122223333:role/meet-media"));

        assertThat(WorkloadServiceAccountDependent.build(platform, "us-east-1", irsa).getMetadata().getAnnotations())
                .containsExactly(java.util.Map.entry("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/meet-media"));
        var plain = WorkloadServiceAccountDependent.build(platform, "us-east-1", WorkloadEnvironment.NONE);
        assertThat(plain.getMetadata().getAnnotations()).isEmpty();
        plain.getMetadata().getAnnotations().put("javaoperatorsdk.io/previous", "x"); // what JOSDK does before applying
        assertThat(plain.getAutomountServiceAccountToken()).isFalse();
        assertThat(plain.getMetadata().getName()).isEqualTo("meet-media-server");
    }

    @Test
    void networkPoliciesAdmitOnlyThePortsEachRoleServes() {
        platform.getSpec().mediaServer.udpPort = 41000;
        platform.getSpec().signaling.port = 8443;

        NetworkPolicy media = MediaServerNetworkPolicyDependent.build(platform, "us-east-1");
        NetworkPolicy signaling = SignalingNetworkPolicyDependent.build(platform, "us-east-1");

        assertThat(media.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(MediaServerDeploymentDependent.build(platform, "us-east-1").getSpec().getSelector().getMatchLabels());
        assertThat(media.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(media.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                .extracting(p -> p.getProtocol() + ":" + p.getPort().getIntVal()).containsExactly("UDP:41000", "TCP:8080"));
        assertThat(signaling.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "signaling");
        assertThat(signaling.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                .extracting(p -> p.getProtocol() + ":" + p.getPort().getIntVal()).containsExactly("TCP:8443"));
    }

    @Test
    void regionIsListedOnlyWhenNamedInSpec() {
        assertThat(RegionListedCondition.isListed(platform, "eu-west-1")).isTrue();
        assertThat(RegionListedCondition.isListed(platform, "ap-south-1")).isFalse();
    }
}
