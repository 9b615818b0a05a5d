package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.policy.EffectivePolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The configuration both components read as environment variables (envFrom). Its content hash
 * is stamped on the pod templates, so a configuration change rolls the pods.
 */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.MANAGED_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class PlatformConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, RealtimePlatform> {

    public PlatformConfigMapDependent() {
        super(ConfigMap.class);
    }

    public static String name(RealtimePlatform platform) {
        return platform.getMetadata().getName() + "-config";
    }

    /** The ConfigMap for the given platform in the given region, with the operator's {@link WorkloadEnvironment}. */
    public static ConfigMap build(RealtimePlatform platform, String region) {
        return build(platform, region, WorkloadEnvironment.current());
    }

    /** Pure builder: the ConfigMap for the given platform in the given region. */
    public static ConfigMap build(RealtimePlatform platform, String region, WorkloadEnvironment environment) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(platform))
                .withNamespace(platform.getMetadata().getNamespace())
                .withOwnerReferences(Owners.controller(platform))
                .withLabels(WorkloadLabels.shared(platform, region))
                .endMetadata()
                .withData(data(platform.getSpec(), region, environment))
                .build();
    }

    /** Environment of both components; keys are the media-server's configuration (see media-server/README.md). */
    static Map<String, String> data(RealtimePlatformSpec spec, String region, WorkloadEnvironment environment) {
        Map<String, String> data = new TreeMap<>();
        data.put("LIFELINE_REGION", region);
        data.put("LIFELINE_REGIONS", spec.regions.stream().map(r -> r.name).collect(Collectors.joining(",")));
        data.put("LIFELINE_SESSION_TABLE", spec.sessionStore.tableName);
        data.put("LIFELINE_MEDIA_UDP_PORT", Integer.toString(spec.mediaServer.udpPort));
        data.put("LIFELINE_MEDIA_CAPACITY", Integer.toString(spec.mediaServer.sessionsPerReplica));
        // Both halves of one clock: with only the interval, signaling kept its 3 s default and saw every
        // relay of a platform with a 3 s interval as stale.
        // The relays heartbeat at the failure detector's cadence: a peer judges a lost region's instances silent after
        // three of these intervals (EffectivePolicy.Detection).
        data.put("LIFELINE_HEARTBEAT_INTERVAL", EffectivePolicy.of(spec).detection().heartbeatInterval().toMillis() + "ms");
        data.put("LIFELINE_HEARTBEAT_STALE_AFTER", spec.failover.staleAfterSeconds + "s");
        data.put("LIFELINE_DRAIN_DEADLINE", spec.failover.reroute.drainDeadlineSeconds + "s");
        signalingEndpoints(spec).ifPresent(e -> data.put("LIFELINE_SIGNALING_ENDPOINTS", e));
        // Emulators and local runs only (lifeline.workload.dynamodb-endpoint); unset, the pods use AWS's endpoint.
        environment.dynamodbEndpoint().ifPresent(e -> data.put("LIFELINE_DYNAMODB_ENDPOINT", e));
        return data;
    }

    /**
     * Every region's public signaling endpoint ({@code region=ws://<spec.regions[].endpoint>:<signaling.port>/signal}),
     * which signaling lists in its join replies so that clients resume in another region directly when theirs stops
     * answering. Only regions with an explicit endpoint: a region's load-balancer name is known in its own cluster
     * only. Drained regions stay listed: a drain moves DNS answers, the region still serves, and a list that
     * followed drains would roll every pod of the platform on each one (the configuration hash is on the pods).
     */
    static java.util.Optional<String> signalingEndpoints(RealtimePlatformSpec spec) {
        String endpoints = spec.regions.stream().filter(r -> r.endpoint != null && !r.endpoint.isBlank())
                .map(r -> r.name + "=ws://" + r.endpoint + ":" + spec.signaling.port + "/signal")
                .collect(Collectors.joining(","));
        return endpoints.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(endpoints);
    }

    /** Stable digest of the configuration, stamped on pod templates so that a change rolls them. */
    public static String hash(RealtimePlatform platform, String region, WorkloadEnvironment environment) {
        StringBuilder entries = new StringBuilder();
        data(platform.getSpec(), region, environment).forEach((k, v) -> entries.append(k).append('\0').append(v).append('\0'));
        return DigestUtils.sha256Hex(entries.toString()).substring(0, 16);
    }

    @Override
    protected ConfigMap desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
