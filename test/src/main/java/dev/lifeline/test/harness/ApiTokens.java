package dev.lifeline.test.harness;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Bearer tokens for the operator's REST API and status page, issued by the API server itself
 * (the TokenRequest API, as {@code kubectl create token} does), so the operator's TokenReview
 * accepts them and its SubjectAccessReview sees the account's real RBAC.
 */
public final class ApiTokens {

    /** The account behind {@link #clusterAdmin}: tests and local runs that read everything. */
    public static final String ADMIN_ACCOUNT = "lifeline-api-admin";
    public static final String ADMIN_NAMESPACE = "default";

    private ApiTokens() {
    }

    /** A one-hour token of an existing ServiceAccount. */
    public static String request(KubernetesClient admin, String namespace, String serviceAccount) {
        return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }

    /** Creates a ServiceAccount (if missing) and returns a token of it; it has no permissions yet. */
    public static String newServiceAccount(KubernetesClient admin, String namespace, String serviceAccount) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(serviceAccount).withNamespace(namespace).endMetadata().build()).serverSideApply();
        return request(admin, namespace, serviceAccount);
    }

    /**
     * Grants a ServiceAccount these verbs on the {@code RealtimePlatform}s of its namespace (a Role
     * and RoleBinding named after it), as a platform team would grant its people.
     */
    public static void grantOnPlatforms(KubernetesClient admin, String namespace, String serviceAccount, String... verbs) {
        admin.resource(new RoleBuilder().withNewMetadata().withName(serviceAccount).withNamespace(namespace).endMetadata()
                .addNewRule().withApiGroups("lifeline.dev").withResources("realtimeplatforms").withVerbs(verbs).endRule()
                .build()).serverSideApply();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withName(serviceAccount).withNamespace(namespace)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", serviceAccount)
                .addNewSubject().withKind("ServiceAccount").withName(serviceAccount).withNamespace(namespace).endSubject()
                .build()).serverSideApply();
        awaitAllowed(admin, namespace, serviceAccount, namespace, verbs);
    }

    /**
     * The API server's RBAC authorizer reads bindings from its own informers: waits until it sees
     * a new one, so a caller's first request is not refused (and that answer cached by the operator).
     */
    private static void awaitAllowed(KubernetesClient admin, String accountNamespace, String serviceAccount,
            String namespace, String... verbs) {
        String user = "system:serviceaccount:" + accountNamespace + ":" + serviceAccount;
        for (String verb : verbs) {
            Awaitility.await(user + " may " + verb + " realtimeplatforms").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Boolean.TRUE.equals(admin.authorization().v1().subjectAccessReview()
                            .create(new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
                                    .withGroups("system:serviceaccounts", "system:serviceaccounts:" + accountNamespace,
                                            "system:authenticated")
                                    .withNewResourceAttributes().withGroup("lifeline.dev").withResource("realtimeplatforms")
                                    .withNamespace(namespace).withVerb(verb).endResourceAttributes().endSpec().build())
                            .getStatus().getAllowed()));
        }
    }

    /** A token of a ServiceAccount bound to {@code cluster-admin} (created on first use). */
    public static String clusterAdmin(KubernetesClient admin) {
        String token = newServiceAccount(admin, ADMIN_NAMESPACE, ADMIN_ACCOUNT);
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(ADMIN_ACCOUNT).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject().withKind("ServiceAccount").withName(ADMIN_ACCOUNT).withNamespace(ADMIN_NAMESPACE)
                .endSubject().build()).serverSideApply();
        awaitAllowed(admin, ADMIN_NAMESPACE, ADMIN_ACCOUNT, null, "get", "patch");
        return token;
    }
}
