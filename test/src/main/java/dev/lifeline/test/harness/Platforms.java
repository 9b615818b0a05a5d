package dev.lifeline.test.harness;

import java.time.Duration;
import java.util.Optional;

import org.awaitility.Awaitility;

import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

/** Typed access to RealtimePlatforms and the waits tests share. */
public final class Platforms {

    public static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(60);

    private Platforms() {
    }

    public static MixedOperation<RealtimePlatform, KubernetesResourceList<RealtimePlatform>, Resource<RealtimePlatform>> of(
            KubernetesClient client) {
        return client.resources(RealtimePlatform.class);
    }

    /** A valid platform in the given regions (the first is the session table's home), defaults elsewhere. */
    public static RealtimePlatform typed(String name, String namespace, String... regions) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.getMetadata().setName(name);
        platform.getMetadata().setNamespace(namespace);
        platform.setSpec(new dev.lifeline.operator.api.RealtimePlatformSpec());
        for (String region : regions) {
            platform.getSpec().regions.add(new dev.lifeline.operator.api.RegionSpec(region, 100));
        }
        platform.getSpec().sessionStore.tableName = name + "-sessions";
        platform.getSpec().sessionStore.homeRegion = regions[0];
        platform.getSpec().dns.hostedZoneId = "Z0123456789ABCDEFGHIJ";
        platform.getSpec().dns.recordName = name + ".example.com";
        return platform;
    }

    public static Optional<Condition> condition(RealtimePlatform platform, String type) {
        if (platform == null || platform.getStatus() == null) {
            return Optional.empty();
        }
        return platform.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Waits until the platform's condition has the status and reason, and returns it. */
    public static Condition awaitCondition(KubernetesClient client, String namespace, String name, String type,
            String status, String reason) {
        try {
            return Awaitility.await(name + " condition " + type + "=" + status + " (" + reason + ")")
                    .atMost(RECONCILE_TIMEOUT)
                    .until(() -> condition(of(client).inNamespace(namespace).withName(name).get(), type)
                            .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason())).orElse(null),
                            c -> c != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            RealtimePlatform current = of(client).inNamespace(namespace).withName(name).get();
            throw new AssertionError(e.getMessage() + "; status is now: "
                    + (current == null ? "(deleted)" : io.fabric8.kubernetes.client.utils.Serialization.asJson(current.getStatus())), e);
        }
    }

    /**
     * Changes a platform's spec as a user would, retrying on optimistic-lock conflicts (the
     * operator may be writing status at the same moment).
     */
    public static RealtimePlatform editSpec(KubernetesClient client, String namespace, String name,
            java.util.function.Consumer<dev.lifeline.operator.api.RealtimePlatformSpec> change) {
        return Awaitility.await("edit " + namespace + "/" + name).atMost(RECONCILE_TIMEOUT)
                .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> of(client).inNamespace(namespace).withName(name).edit(p -> {
                    change.accept(p.getSpec());
                    return p;
                }), p -> p != null);
    }

    public static Deployment awaitDeployment(KubernetesClient client, String namespace, String name) {
        return Awaitility.await("deployment " + namespace + "/" + name).atMost(RECONCILE_TIMEOUT)
                .until(() -> client.apps().deployments().inNamespace(namespace).withName(name).get(), d -> d != null);
    }

    /**
     * Plays the cloud's load-balancer controller (the test control plane has none): gives the
     * signaling Service of a platform an ingress address, the region's DNS target.
     */
    public static void assignLoadBalancer(KubernetesClient client, String namespace, String platform, String ip) {
        Awaitility.await("signaling Service of " + platform).atMost(RECONCILE_TIMEOUT)
                .until(() -> client.services().inNamespace(namespace).withName(platform + "-signaling").get(),
                        s -> s != null);
        client.services().inNamespace(namespace).withName(platform + "-signaling").editStatus(s -> {
            s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                    .addNewIngress().withIp(ip).endIngress().endLoadBalancer().build());
            return s;
        });
    }

    /**
     * Plays the Deployment controller (the test control plane has none): reports every desired
     * replica as updated, ready and available.
     */
    public static void markAvailable(KubernetesClient client, String namespace, String name) {
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
            int replicas = d.getSpec().getReplicas();
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas).build());
            return d;
        });
    }
}
