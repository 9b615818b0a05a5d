package dev.lifeline.test;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.awaitility.Awaitility;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.harness.ApiTokens;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The README's local run: a local control plane, the packaged operator, samples/ applied, and
 * a printout of what was created and the status. Keeps running until Ctrl-C (or exits at once
 * with {@code --exit}, which the tests use).
 */
public final class LocalRun {

    private LocalRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean exit = List.of(args).contains("--exit");
        String region = System.getenv().getOrDefault("LIFELINE_REGION", "us-east-1");
        ControlPlane plane = ControlPlane.start("local");
        OperatorProcess operator = null;
        try {
            operator = run(plane, region, System.out);
            if (exit) {
                return;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            OperatorProcess running = operator;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                plane.close();
                stopped.countDown();
            }));
            System.out.println("\nRunning. Ctrl-C stops the operator and the control plane.");
            stopped.await();
        } finally {
            if (exit) {
                if (operator != null) {
                    operator.close();
                }
                plane.close();
            }
        }
    }

    /** Installs the CRD, starts the operator, applies samples/, waits for reconciliation, prints. */
    public static OperatorProcess run(ControlPlane plane, String region, PrintStream out) {
        plane.installCrds();
        plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
        OperatorProcess operator = OperatorProcess.start("local", plane.kubeconfig(), region, localEnvironment());
        KubernetesClient client = plane.client();
        List<HasMetadata> platforms = new ArrayList<>();
        for (Path file : ControlPlane.yamlFiles(RepoPaths.samples())) {
            for (HasMetadata item : plane.load(file)) {
                client.resource(item).serverSideApply();
                out.printf("applied   %s/%s from %s%n", item.getKind(), item.getMetadata().getName(),
                        RepoPaths.root().relativize(file));
                if ("RealtimePlatform".equals(item.getKind())) {
                    platforms.add(item);
                }
            }
        }
        for (HasMetadata platform : platforms) {
            printPlatform(client, platform.getMetadata().getNamespace(), platform.getMetadata().getName(), out);
        }
        Path kubectl = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s",
                ControlPlane.version() + "-linux-amd64", "kubectl");
        out.printf("%nOperator log: %s%nTry:  KUBECONFIG=%s %s get rtp -A%n", operator.log(), plane.kubeconfig(),
                kubectl);
        printStatusPage(operator, platforms, plane, kubectl, out);
        return operator;
    }

    /**
     * The status page and REST API take a Kubernetes bearer token: a ready one (a ServiceAccount
     * bound to cluster-admin on this throwaway control plane) and how to make one for another account.
     */
    private static void printStatusPage(OperatorProcess operator, List<HasMetadata> platforms, ControlPlane plane,
            Path kubectl, PrintStream out) {
        for (HasMetadata platform : platforms) {
            out.printf("Status page: %s/status/?namespace=%s&name=%s%n", operator.baseUrl(),
                    platform.getMetadata().getNamespace(), platform.getMetadata().getName());
        }
        out.printf("Token for the page and the REST API (ServiceAccount %s/%s, cluster-admin here):%n  %s%n",
                ApiTokens.ADMIN_NAMESPACE, ApiTokens.ADMIN_ACCOUNT, operator.adminToken());
        out.printf("Another account's token:  KUBECONFIG=%s %s create token <serviceaccount> -n <namespace>%n",
                plane.kubeconfig(), kubectl);
    }

    /** Local runs need no AWS account: the operator's in-memory providers stand in for AWS. */
    static Map<String, String> localEnvironment() {
        return OperatorProcess.WITHOUT_AWS;
    }

    private static void printPlatform(KubernetesClient client, String namespace, String name, PrintStream out) {
        RealtimePlatform platform = Awaitility.await(name + " reconciled").atMost(Duration.ofSeconds(60))
                .until(() -> Platforms.of(client).inNamespace(namespace).withName(name).get(),
                        p -> p.getStatus() != null
                                && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration));
        Awaitility.await(name + " workloads").atMost(Duration.ofSeconds(60))
                .until(() -> client.apps().deployments().inNamespace(namespace).list().getItems().size() >= 2);
        out.printf("%nRealtimePlatform %s/%s (regions %s)%n", namespace, name,
                platform.getSpec().regions.stream().map(r -> r.name).toList());
        client.configMaps().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems()
                .forEach(c -> out.printf("  created   ConfigMap/%s%n", c.getMetadata().getName()));
        client.apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list()
                .getItems().forEach(d -> out.printf("  created   Deployment/%s (replicas %d, image %s)%n",
                        d.getMetadata().getName(), d.getSpec().getReplicas(),
                        d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        client.services().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems()
                .forEach(s -> out.printf("  created   Service/%s (%s, ports %s)%n", s.getMetadata().getName(),
                        s.getSpec().getType(), s.getSpec().getPorts().stream()
                                .map(p -> p.getProtocol() + "/" + p.getPort()).toList()));
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name)
                .list().getItems().forEach(p -> out.printf("  created   PodDisruptionBudget/%s%n", p.getMetadata().getName()));
        out.println("  status:");
        for (Condition c : platform.getStatus().conditions) {
            out.printf("    %-20s %-7s %-16s %s%n", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
        }
        out.printf("    regions: %s%n", platform.getStatus().regions.stream().map(r -> r.name + "=" + r.health).toList());
    }
}
