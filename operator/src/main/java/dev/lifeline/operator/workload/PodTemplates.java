package dev.lifeline.operator.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.ComputeResources;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.ResourceAmounts;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;

/**
 * The pod template both components share: one media-server container in a role, health probes
 * on the Quarkus health endpoints, hardened security context (explicit non-root user and group, no
 * privilege escalation, read-only root, no capabilities, no API token), ephemeral storage requested
 * and limited, the platform's own ServiceAccount, spread across zones and nodes.
 */
public final class PodTemplates {

    public static final String CONFIG_HASH_ANNOTATION = "lifeline.dev/config-hash";
    public static final String CONTAINER_NAME = "server";
    public static final String HTTP_PORT_NAME = "http";
    public static final String LIVENESS_PATH = "/q/health/live";
    public static final String READINESS_PATH = "/q/health/ready";
    public static final String ZONE_KEY = "topology.kubernetes.io/zone";
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    /** The user and group of the media-server image. */
    public static final long UID = 10001;
    /**
     * Ephemeral storage of each pod (/tmp and logs): requested so the scheduler counts it, limited so a
     * runaway writer is evicted instead of filling the node's disk and evicting its neighbours.
     */
    public static final String EPHEMERAL_REQUEST = "64Mi";
    public static final String EPHEMERAL_LIMIT = "256Mi";
    static final String TMP_SIZE_LIMIT = "128Mi";
    /** How long a container may take to answer its liveness endpoint for the first time. */
    public static final int STARTUP_SECONDS = 120;

    private PodTemplates() {
    }

    /** What differs between the two components' pods. */
    public record ContainerShape(String image, List<ContainerPort> ports, int httpPort, ComputeResources resources,
            long terminationGracePeriodSeconds) {
    }

    /** The Secret (one per platform, same value in every region) holding the join-token signing key. */
    public static String signingSecretName(RealtimePlatform platform) {
        return platform.getMetadata().getName() + "-signing";
    }

    public static final String SIGNING_SECRET_KEY = "token-secret";

    /** The pod template with the operator's {@link WorkloadEnvironment}. */
    public static PodTemplateSpec build(RealtimePlatform platform, Component component, String region,
            ContainerShape shape) {
        return build(platform, component, region, shape, WorkloadEnvironment.current());
    }

    public static PodTemplateSpec build(RealtimePlatform platform, Component component, String region,
            ContainerShape shape, WorkloadEnvironment environment) {
        List<EnvFromSource> envFrom = new ArrayList<>();
        envFrom.add(new EnvFromSourceBuilder().withNewConfigMapRef().withName(PlatformConfigMapDependent.name(platform))
                .endConfigMapRef().build());
        // Static AWS credentials for emulators (lifeline.workload.aws-credentials-secret); unset: IRSA / default chain.
        environment.credentialsSecret().ifPresent(secret -> envFrom.add(
                new EnvFromSourceBuilder().withNewSecretRef().withName(secret).endSecretRef().build()));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CONFIG_HASH_ANNOTATION, PlatformConfigMapDependent.hash(platform, region, environment));
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(WorkloadLabels.of(platform, component, region))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(WorkloadServiceAccountDependent.name(platform))
                // The pods never call the Kubernetes API; IRSA projects its own token.
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(shape.terminationGracePeriodSeconds())
                .withTopologySpreadConstraints(
                        spread(platform, component, ZONE_KEY), spread(platform, component, HOSTNAME_KEY))
                // The image's user (media-server/src/main/docker/Dockerfile.jvm: USER 10001:10001), stated so
                // admission policies (restricted Pod Security, Kyverno, Gatekeeper) can check it.
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(UID)
                .withRunAsGroup(UID)
                .withFsGroup(UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER_NAME)
                .withImage(shape.image())
                .withPorts(shape.ports())
                .withEnvFrom(envFrom)
                .withEnv(new EnvVarBuilder().withName("LIFELINE_ROLE").withValue(component.role()).build(),
                        // fieldRef spells out the apiVersion the API server defaults it to: left out, the
                        // dependent's server-side-apply match sees a difference on every reconcile and
                        // re-applies the Deployment each time (SteadyStateIT).
                        new EnvVarBuilder().withName("LIFELINE_INSTANCE_ID").withNewValueFrom()
                                .withNewFieldRef("v1", "metadata.name")
                                .endValueFrom().build(),
                        // Clients reach a relay at its pod address (as in the heartbeats).
                        new EnvVarBuilder().withName("LIFELINE_MEDIA_ADVERTISED_HOST").withNewValueFrom()
                                .withNewFieldRef("v1", "status.podIP")
                                .endValueFrom().build(),
                        new EnvVarBuilder().withName("QUARKUS_HTTP_PORT").withValue(Integer.toString(shape.httpPort()))
                                .build(),
                        // Tokens issued in one region must verify in every region: the user provides the key.
                        new EnvVarBuilder().withName("LIFELINE_TOKEN_SECRET").withNewValueFrom()
                                .withNewSecretKeyRef(SIGNING_SECRET_KEY, signingSecretName(platform), false)
                                .endValueFrom().build())
                .withResources(resources(shape.resources()))
                // The JVM takes 10-20 s to listen on a busy node; liveness (3 x 5 s) would kill it first.
                .withStartupProbe(startupProbe())
                .withLivenessProbe(probe(LIVENESS_PATH, 3))
                .withReadinessProbe(probe(READINESS_PATH, 1))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity(TMP_SIZE_LIMIT))
                .endEmptyDir().endVolume()
                .endSpec()
                .build();
    }

    /** Prefer spreading over zones and nodes, but still schedule when a zone is down (ScheduleAnyway). */
    private static TopologySpreadConstraint spread(RealtimePlatform platform, Component component, String key) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(key)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(WorkloadLabels.selector(platform, component)).endLabelSelector()
                .build();
    }

    /** Readiness fails fast (1 failure) so a draining instance leaves the Service at once; liveness tolerates 3. */
    private static Probe probe(String path, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort(HTTP_PORT_NAME).endHttpGet()
                .withPeriodSeconds(5)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /**
     * Holds liveness and readiness back until the server answers at all: every 2 s, for up to
     * {@link #STARTUP_SECONDS}. Without it, liveness (3 failures, 5 s apart, from the container's
     * start) killed a JVM that had not started listening within about 15 s.
     */
    private static Probe startupProbe() {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(LIVENESS_PATH).withNewPort(HTTP_PORT_NAME).endHttpGet()
                .withPeriodSeconds(2)
                .withTimeoutSeconds(2)
                .withFailureThreshold(STARTUP_SECONDS / 2)
                .build();
    }

    static ResourceRequirements resources(ComputeResources resources) {
        return new ResourceRequirementsBuilder()
                .withRequests(amounts(resources == null ? null : resources.requests, EPHEMERAL_REQUEST))
                .withLimits(amounts(resources == null ? null : resources.limits, EPHEMERAL_LIMIT))
                .build();
    }

    private static Map<String, Quantity> amounts(ResourceAmounts amounts, String ephemeralStorage) {
        Map<String, Quantity> map = new LinkedHashMap<>();
        map.put("ephemeral-storage", new Quantity(ephemeralStorage));
        if (amounts != null) {
            if (amounts.cpu != null) {
                map.put("cpu", new Quantity(amounts.cpu));
            }
            if (amounts.memory != null) {
                map.put("memory", new Quantity(amounts.memory));
            }
        }
        return map;
    }
}
