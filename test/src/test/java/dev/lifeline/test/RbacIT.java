package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ApiTokens;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.PlatformYaml;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.test.harness.ServiceAccountKubeconfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The operator runs with the ServiceAccount and least-privilege RBAC of deploy/manifests/ (not
 * cluster-admin) and still reconciles and answers its REST API; with a permission taken away, the
 * failure shows up in the platform's status as a condition with a reason, not only in a log, and
 * without tokenreviews the REST API answers 503 with the missing permission.
 */
class RbacIT {

    private static final String SYSTEM = OperatorProcess.OPERATOR_NAMESPACE;
    private static ControlPlane plane;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        plane = ControlPlane.start("rbac");
        plane.installCrds();
        admin = plane.client();
        for (Path file : ControlPlane.yamlFiles(RepoPaths.manifests())) {
            for (HasMetadata item : plane.load(file)) {
                admin.resource(item).serverSideApply();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void operatorReconcilesWithExactlyTheRbacOfDeploy() {
        Path kubeconfig = ServiceAccountKubeconfig.write(plane, SYSTEM, "lifeline-operator");
        try (KubernetesClient asOperator = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(readString(kubeconfig))).build()) {
            assertThatThrownBy(() -> asOperator.secrets().inAnyNamespace().list())
                    .as("the operator's account must not be an admin")
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }

        try (OperatorProcess operator = OperatorProcess.start("rbac", kubeconfig, "us-east-1", OperatorProcess.WITHOUT_AWS)) {
            plane.createNamespace("rbac");
            admin.resource(PlatformYaml.minimal("least", "rbac")).create();
            Platforms.awaitDeployment(admin, "rbac", "least-media-server");
            Platforms.awaitDeployment(admin, "rbac", "least-signaling");
            Platforms.markAvailable(admin, "rbac", "least-media-server");
            Platforms.markAvailable(admin, "rbac", "least-signaling");
            Platforms.assignLoadBalancer(admin, "rbac", "least", "192.0.2.20");

            Platforms.awaitCondition(admin, "rbac", "least", "Ready", "True", "Ready");
            assertThat(admin.policy().v1().podDisruptionBudget().inNamespace("rbac").list().getItems()).hasSize(2);
            assertThat(admin.services().inNamespace("rbac").list().getItems()).hasSize(2);
            await("Events written with the operator's own permissions").atMost(Platforms.RECONCILE_TIMEOUT)
                    .until(() -> !admin.v1().events().inNamespace("rbac").list().getItems().isEmpty());
            assertThat(admin.leases().inNamespace(SYSTEM).withName("lifeline-operator").get())
                    .as("leader election Lease held in the operator's namespace").isNotNull();
            assertThat(operator.request("GET", "/api/v1/namespaces/rbac/realtimeplatforms/least/history",
                    ApiTokens.clusterAdmin(admin)).statusCode())
                    .as("the REST API's TokenReview and SubjectAccessReview work with the operator's own account")
                    .isEqualTo(200);
            assertThat(operator.request("GET", "/api/v1/namespaces/rbac/realtimeplatforms/least/history",
                    ApiTokens.newServiceAccount(admin, "rbac", "nobody")).statusCode()).isEqualTo(403);
            assertThat(operator.logText()).doesNotContain("Forbidden", "review failed");
        }
    }

    @Test
    void missingPermissionBecomesAConditionWithAReason() {
        ClusterRole full = (ClusterRole) plane.load(RepoPaths.manifests().resolve("10-rbac.yaml")).stream()
                .filter(i -> i instanceof ClusterRole).findFirst().orElseThrow();
        ClusterRole withoutPdbWrites = new ClusterRoleBuilder(full)
                .editMetadata().withName("lifeline-operator-no-pdb-writes").withResourceVersion(null).endMetadata()
                .withRules(full.getRules().stream().filter(rule -> !rule.getResources().contains("tokenreviews"))
                        .map(rule -> rule.getResources().contains("poddisruptionbudgets")
                                ? new PolicyRuleBuilder(rule).withVerbs(List.of("get", "list", "watch")).build()
                                : rule).toList())
                .build();
        admin.resource(withoutPdbWrites).create();
        admin.serviceAccounts().inNamespace(SYSTEM).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("trimmed").withNamespace(SYSTEM).endMetadata().build()).create();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("trimmed").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "lifeline-operator-no-pdb-writes")
                .addNewSubject().withKind("ServiceAccount").withName("trimmed").withNamespace(SYSTEM).endSubject()
                .build()).create();
        admin.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata()
                .withName("trimmed-leader-election").withNamespace(SYSTEM).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "lifeline-operator-leader-election")
                .addNewSubject().withKind("ServiceAccount").withName("trimmed").withNamespace(SYSTEM).endSubject()
                .build()).create();

        Path kubeconfig = ServiceAccountKubeconfig.write(plane, SYSTEM, "trimmed");
        try (OperatorProcess operator = OperatorProcess.start("rbac-trimmed", kubeconfig, "us-east-1",
                withoutAws("LIFELINE_LEASE_NAME", "lifeline-operator-trimmed"))) {
            plane.createNamespace("rbac-trimmed");
            admin.resource(PlatformYaml.minimal("denied", "rbac-trimmed")).create();

            Condition degraded = Platforms.awaitCondition(admin, "rbac-trimmed", "denied", "Degraded", "True",
                    "Forbidden");
            assertThat(degraded.getMessage()).contains("poddisruptionbudgets", "deploy/");
            Platforms.awaitCondition(admin, "rbac-trimmed", "denied", "Ready", "False", "Forbidden");
            // kstatus: retrying cannot fix RBAC, so Stalled, for the generation that failed (Flux reports
            // the failure instead of waiting for the generation to be observed).
            Platforms.awaitCondition(admin, "rbac-trimmed", "denied", "Stalled", "True", "Forbidden");
            Platforms.editSpec(admin, "rbac-trimmed", "denied", spec -> spec.signaling.replicas.min = 3);
            await("the failed generation 2 is observed, still Stalled").atMost(Platforms.RECONCILE_TIMEOUT)
                    .until(() -> Platforms.of(admin).inNamespace("rbac-trimmed").withName("denied").get(),
                            p -> Long.valueOf(2).equals(p.getStatus().observedGeneration) && Platforms
                                    .condition(p, "Stalled").filter(c -> "True".equals(c.getStatus())
                                            && Long.valueOf(2).equals(c.getObservedGeneration())).isPresent());
            await("Warning Event with the reason").atMost(Platforms.RECONCILE_TIMEOUT)
                    .until(() -> admin.v1().events().inNamespace("rbac-trimmed").list().getItems().stream()
                            .anyMatch(e -> "Warning".equals(e.getType()) && "Forbidden".equals(e.getReason())));

            // Without create on tokenreviews the REST API cannot tell who calls: 503 and a log line
            // that says which permission is missing, never a call let through.
            var answer = operator.request("GET", "/api/v1/namespaces/rbac-trimmed/realtimeplatforms/denied/history",
                    ApiTokens.clusterAdmin(admin));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("tokenreviews");
            assertThat(operator.logText()).contains("token or access review failed (403 Forbidden)",
                    "needs create on tokenreviews");
        }
    }

    private static Map<String, String> withoutAws(String key, String value) {
        Map<String, String> env = new java.util.HashMap<>(OperatorProcess.WITHOUT_AWS);
        env.put(key, value);
        return env;
    }

    private static String readString(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
