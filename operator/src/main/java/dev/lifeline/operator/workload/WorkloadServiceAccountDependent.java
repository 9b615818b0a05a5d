package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The ServiceAccount of a platform's media-server pods (both roles), separate from the operator's:
 * its AWS identity (the IRSA role in {@code lifeline.workload.role-arn}, which the Helm chart sets
 * from {@code mediaServer.aws.roleArn}) needs only the session table, never Route 53. No API token
 * is mounted: the pods do not talk to Kubernetes (IRSA projects its own token).
 */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.MANAGED_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class WorkloadServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, RealtimePlatform> {

    /** The annotation EKS reads for IAM roles for service accounts. */
    public static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

    public WorkloadServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    public static String name(RealtimePlatform platform) {
        return platform.getMetadata().getName() + "-media-server";
    }

    /** The ServiceAccount with the operator's {@link WorkloadEnvironment}. */
    public static ServiceAccount build(RealtimePlatform platform, String region) {
        return build(platform, region, WorkloadEnvironment.current());
    }

    /** Pure builder: the ServiceAccount for the given platform in the given region. */
    public static ServiceAccount build(RealtimePlatform platform, String region, WorkloadEnvironment environment) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name(platform))
                .withNamespace(platform.getMetadata().getNamespace())
                .withOwnerReferences(Owners.controller(platform))
                .withLabels(WorkloadLabels.shared(platform, region))
                .withAnnotations(annotations(environment))
                .endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }

    /** A mutable map, never null: JOSDK adds its own annotation to the desired object before applying it. */
    private static Map<String, String> annotations(WorkloadEnvironment environment) {
        Map<String, String> annotations = new LinkedHashMap<>();
        environment.roleArn().ifPresent(arn -> annotations.put(IRSA_ANNOTATION, arn));
        return annotations;
    }

    @Override
    protected ServiceAccount desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
