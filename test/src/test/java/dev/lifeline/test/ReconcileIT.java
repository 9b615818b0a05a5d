package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.SingleRegion;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The packaged operator (its own JVM, prod profile, leader election) against a real
 * kube-apiserver + etcd: workloads, status, spec changes, steady state, region scoping, deletion.
 */
class ReconcileIT {

    private static final String REGION = "us-east-1";
    private static SingleRegion region;
    private static ControlPlane plane;
    private static OperatorProcess operator;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SingleRegion.start("reconcile", "us-east-1");
        plane = region.plane();
        operator = region.operator();
        client = plane.client();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void validPlatformYieldsWorkloadsWithExpectedFields() {
        RealtimePlatform platform = create("alpha", "alpha", REGION, "eu-west-1");

        Deployment media = Platforms.awaitDeployment(client, "alpha", "alpha-media-server");
        Deployment signaling = Platforms.awaitDeployment(client, "alpha", "alpha-signaling");
        assertOwnedBy(media, platform);
        assertOwnedBy(signaling, platform);
        assertThat(media.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "lifeline-operator")
                .containsEntry("app.kubernetes.io/instance", "alpha")
                .containsEntry("app.kubernetes.io/component", "media-server")
                .containsEntry("app.kubernetes.io/part-of", "lifeline")
                .containsEntry("lifeline.dev/region", REGION);
        assertThat(media.getSpec().getReplicas()).isEqualTo(2);
        assertThat(media.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

        var pod = media.getSpec().getTemplate().getSpec();
        Container server = pod.getContainers().get(0);
        assertThat(server.getImage()).isEqualTo("ghcr.io/lifeline/media-server:0.1.0");
        assertThat(server.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("media");
            assertThat(p.getProtocol()).isEqualTo("UDP");
            assertThat(p.getContainerPort()).isEqualTo(40000);
        });
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(server.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(server.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(server.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("alpha-config");
        assertThat(server.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("LIFELINE_ROLE");
            assertThat(e.getValue()).isEqualTo("media");
        });
        assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(media.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("lifeline.dev/config-hash");
        assertThat(signaling.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("signaling"));

        Service mediaService = await().atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.services().inNamespace("alpha").withName("alpha-media-server").get(), s -> s != null);
        assertOwnedBy(mediaService, platform);
        assertThat(mediaService.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort())
                .containsExactlyInAnyOrder("UDP/40000", "TCP/8080");
        Service signalingService = await().atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.services().inNamespace("alpha").withName("alpha-signaling").get(), s -> s != null);
        assertThat(signalingService.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(signalingService.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);

        for (String component : List.of("media-server", "signaling")) {
            PodDisruptionBudget pdb = await().atMost(Platforms.RECONCILE_TIMEOUT).until(() -> client.policy().v1()
                    .podDisruptionBudget().inNamespace("alpha").withName("alpha-" + component).get(), p -> p != null);
            assertOwnedBy(pdb, platform);
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", component);
        }
        // Hardening: the pods' own ServiceAccount (no API token) and a NetworkPolicy per role.
        ServiceAccount account = await().atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.serviceAccounts().inNamespace("alpha").withName("alpha-media-server").get(),
                        a -> a != null);
        assertOwnedBy(account, platform);
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("alpha-media-server");
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(server.getResources().getLimits()).containsKey("ephemeral-storage");
        for (String component : List.of("media-server", "signaling")) {
            NetworkPolicy policy = await().atMost(Platforms.RECONCILE_TIMEOUT).until(() -> client.network().v1()
                    .networkPolicies().inNamespace("alpha").withName("alpha-" + component).get(), p -> p != null);
            assertOwnedBy(policy, platform);
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", component);
        }
        assertThat(client.network().v1().networkPolicies().inNamespace("alpha").withName("alpha-media-server").get()
                .getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("UDP/40000", "TCP/8080");
        ConfigMap config = client.configMaps().inNamespace("alpha").withName("alpha-config").get();
        assertOwnedBy(config, platform);
        assertThat(config.getData()).containsEntry("LIFELINE_REGION", REGION)
                .containsEntry("LIFELINE_REGIONS", "us-east-1,eu-west-1")
                .containsEntry("LIFELINE_SESSION_TABLE", "alpha-sessions");

        // The first status may predate the Deployments in the operator's cache ("not created yet").
        Condition workloads = await("WorkloadsAvailable counts both Deployments").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> Platforms.condition(Platforms.of(client).inNamespace("alpha").withName("alpha").get(),
                        "WorkloadsAvailable").orElse(null),
                        c -> c != null && c.getMessage().contains("media-server 0/2")
                                && c.getMessage().contains("signaling 0/2"));
        assertThat(workloads.getStatus()).isEqualTo("False");
        assertThat(workloads.getReason()).isEqualTo("Progressing");
        // WorkloadsAvailable is judged on the Deployments just applied; the region's health on the operator's
        // informer cache, which may see them one reconcile later: wait for that verdict too.
        RealtimePlatform reconciled = await("us-east-1 judged from its Deployments").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> Platforms.of(client).inNamespace("alpha").withName("alpha").get(),
                        p -> p.getStatus().regions.stream().anyMatch(r -> "us-east-1".equals(r.name) && !"Unknown".equals(r.health)));
        assertThat(reconciled.getStatus().observedGeneration).isEqualTo(reconciled.getMetadata().getGeneration());
        assertThat(Platforms.condition(reconciled, "Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
        assertThat(reconciled.getStatus().regions).extracting(r -> r.name + "=" + r.health)
                .containsExactly("us-east-1=Degraded", "eu-west-1=Unknown");
    }

    @Test
    void conditionsFollowAvailabilityAndMoveTransitionTimeOnlyOnTransitions() {
        create("beta", "beta", REGION);
        Condition progressing = Platforms.awaitCondition(client, "beta", "beta", "WorkloadsAvailable", "False",
                "Progressing");
        Condition degradedBefore = Platforms.condition(get("beta", "beta"), "Degraded").orElseThrow();

        Platforms.markAvailable(client, "beta", "beta-media-server");
        Platforms.awaitCondition(client, "beta", "beta", "WorkloadsAvailable", "False", "Progressing");
        Platforms.markAvailable(client, "beta", "beta-signaling");
        Platforms.assignLoadBalancer(client, "beta", "beta", "192.0.2.10");

        Condition available = Platforms.awaitCondition(client, "beta", "beta", "WorkloadsAvailable", "True", "Available");
        Platforms.awaitCondition(client, "beta", "beta", "Ready", "True", "Ready");
        assertThat(available.getMessage()).contains("media-server 2/2", "signaling 2/2");
        assertThat(available.getLastTransitionTime()).isGreaterThanOrEqualTo(progressing.getLastTransitionTime());
        Condition degradedAfter = Platforms.condition(get("beta", "beta"), "Degraded").orElseThrow();
        assertThat(degradedAfter.getStatus()).isEqualTo("False");
        assertThat(degradedAfter.getLastTransitionTime()).isEqualTo(degradedBefore.getLastTransitionTime());
        // The waits of a new platform (workloads Progressing, AWS Pending) end without an Event each: Ready's sums
        // them up. (This bare control plane runs no pods, so the engine judges the region Degraded until the replicas
        // are marked available: that is a RegionsHealthy Event of its own.)
        await("the Event for Ready").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.v1().events().inNamespace("beta").list().getItems().stream()
                        .anyMatch(e -> "Ready".equals(e.getReason()) && "Normal".equals(e.getType())));
        assertThat(client.v1().events().inNamespace("beta").list().getItems())
                .extracting(e -> e.getType() + " " + e.getReason())
                .doesNotContain("Normal Available", "Warning NotReady", "Normal NotReady", "Warning Progressing",
                        "Normal Progressing");
    }

    @Test
    void specChangeRollsTheWorkloads() {
        create("gamma", "gamma", REGION);
        Deployment before = Platforms.awaitDeployment(client, "gamma", "gamma-media-server");
        String hashBefore = before.getSpec().getTemplate().getMetadata().getAnnotations().get("lifeline.dev/config-hash");

        Platforms.editSpec(client, "gamma", "gamma", spec -> {
            spec.mediaServer.image = "ghcr.io/lifeline/media-server:0.2.0";
            spec.mediaServer.udpPort = 41000;
            spec.mediaServer.replicas.min = 3;
        });

        Deployment after = await("media-server Deployment updated").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.apps().deployments().inNamespace("gamma").withName("gamma-media-server").get(),
                        d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith(":0.2.0"));
        assertThat(after.getSpec().getReplicas()).isEqualTo(3);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(41000));
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations().get("lifeline.dev/config-hash"))
                .isNotEqualTo(hashBefore);
        await("media Service port updated").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.services().inNamespace("gamma").withName("gamma-media-server").get().getSpec()
                        .getPorts().stream().anyMatch(p -> p.getPort() == 41000));
        await("status observes generation 2").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> Long.valueOf(2).equals(get("gamma", "gamma").getStatus().observedGeneration));
    }

    @Test
    void unchangedSpecCausesZeroWritesOver30Seconds() {
        create("delta", "delta", REGION);
        Platforms.awaitDeployment(client, "delta", "delta-media-server");
        Platforms.awaitDeployment(client, "delta", "delta-signaling");
        Platforms.markAvailable(client, "delta", "delta-media-server");
        Platforms.markAvailable(client, "delta", "delta-signaling");
        Platforms.assignLoadBalancer(client, "delta", "delta", "192.0.2.11");
        Platforms.awaitCondition(client, "delta", "delta", "Ready", "True", "Ready");
        await("the transition Events are written").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.v1().events().inNamespace("delta").list().getItems().stream()
                        .anyMatch(e -> "Ready".equals(e.getReason())));

        Map<String, String> initial = resourceVersions("delta");
        assertThat(initial).hasSizeGreaterThanOrEqualTo(8);
        await("no writes to the platform, its workloads or Events").during(Duration.ofSeconds(30))
                .atMost(Duration.ofSeconds(45))
                .until(() -> resourceVersions("delta"), initial::equals);
    }

    @Test
    void workloadsExistOnlyWhileTheOperatorsRegionIsListed() {
        create("epsilon", "epsilon", "eu-west-1");
        Condition notListed = Platforms.awaitCondition(client, "epsilon", "epsilon", "WorkloadsAvailable", "False",
                "RegionNotListed");
        assertThat(notListed.getMessage()).contains("us-east-1", "not in spec.regions [eu-west-1]");
        assertThat(client.apps().deployments().inNamespace("epsilon").list().getItems()).isEmpty();

        Platforms.editSpec(client, "epsilon", "epsilon", spec -> spec.regions.add(new RegionSpec(REGION, 100)));
        Platforms.awaitDeployment(client, "epsilon", "epsilon-media-server");

        Platforms.editSpec(client, "epsilon", "epsilon", spec -> spec.regions.removeIf(r -> REGION.equals(r.name)));
        await("workloads removed with the region").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.apps().deployments().inNamespace("epsilon").list().getItems().isEmpty());
        Platforms.awaitCondition(client, "epsilon", "epsilon", "WorkloadsAvailable", "False", "RegionNotListed");
    }

    @Test
    void deletionReleasesTheResourceAndEverythingCreatedIsOwnedByIt() {
        RealtimePlatform platform = create("zeta", "zeta", REGION);
        Platforms.awaitDeployment(client, "zeta", "zeta-signaling");
        await("finalizer added").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> !get("zeta", "zeta").getMetadata().getFinalizers().isEmpty());
        String uid = get("zeta", "zeta").getMetadata().getUid();

        Platforms.of(client).inNamespace("zeta").withName("zeta").delete();

        await("resource deleted once the operator released its finalizer").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> get("zeta", "zeta") == null);
        // The test control plane has no garbage collector: owner references are what makes a real
        // cluster remove the workloads, so every created object must carry one to the deleted uid.
        List<HasMetadata> created = List.of(
                client.apps().deployments().inNamespace("zeta").withName("zeta-media-server").get(),
                client.apps().deployments().inNamespace("zeta").withName("zeta-signaling").get(),
                client.services().inNamespace("zeta").withName("zeta-media-server").get(),
                client.services().inNamespace("zeta").withName("zeta-signaling").get(),
                client.configMaps().inNamespace("zeta").withName("zeta-config").get(),
                client.serviceAccounts().inNamespace("zeta").withName("zeta-media-server").get(),
                client.network().v1().networkPolicies().inNamespace("zeta").withName("zeta-media-server").get(),
                client.network().v1().networkPolicies().inNamespace("zeta").withName("zeta-signaling").get());
        assertThat(created).allSatisfy(r -> assertThat(r.getMetadata().getOwnerReferences())
                .anySatisfy(o -> assertThat(o.getUid()).isEqualTo(uid)));
        assertThat(platform.getMetadata().getName()).isEqualTo("zeta");
    }

    private RealtimePlatform create(String namespace, String name, String... regions) {
        plane.createNamespace(namespace);
        return Platforms.of(client).resource(Platforms.typed(name, namespace, regions)).create();
    }

    private RealtimePlatform get(String namespace, String name) {
        return Platforms.of(client).inNamespace(namespace).withName(name).get();
    }

    private static void assertOwnedBy(HasMetadata resource, RealtimePlatform platform) {
        assertThat(resource.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference o) -> {
            assertThat(o.getKind()).isEqualTo("RealtimePlatform");
            assertThat(o.getName()).isEqualTo(platform.getMetadata().getName());
            assertThat(o.getUid()).isEqualTo(platform.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
    }

    /** resourceVersion of every object in the namespace that the operator could write. */
    private static Map<String, String> resourceVersions(String namespace) {
        Map<String, String> versions = new TreeMap<>();
        List<HasMetadata> all = new java.util.ArrayList<>();
        all.addAll(Platforms.of(client).inNamespace(namespace).list().getItems());
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.services().inNamespace(namespace).list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
        all.addAll(client.configMaps().inNamespace(namespace).withLabel("app.kubernetes.io/managed-by").list().getItems());
        all.addAll(client.serviceAccounts().inNamespace(namespace).withLabel("app.kubernetes.io/managed-by").list()
                .getItems());
        all.addAll(client.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
        all.addAll(client.v1().events().inNamespace(namespace).list().getItems());
        for (HasMetadata r : all) {
            versions.put(r.getKind() + "/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
        }
        return versions;
    }
}
