package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.SimulatedRegion;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * kstatus as Flux reads it (observedGeneration, Reconciling, Stalled), in a simulated region whose
 * kube-controller-manager rolls Deployments out onto kwok nodes: a spec change is Reconciling from the
 * first status of its generation until the rollout is done, never "current" before; a region the spec
 * does not list is Stalled. The namespace enforces the restricted Pod Security standard, so the pods
 * the operator generates must pass it. Every status the operator writes is recorded through a watch, so a short
 * Reconciling phase cannot slip between two polls. (A failed reconcile that is Stalled with the
 * current generation: RbacIT.)
 */
class KstatusIT {

    private static final String NAMESPACE = "kstatus";
    private static final Duration ROLLOUT = Duration.ofSeconds(180);
    private static SimulatedRegion region;
    private static OperatorProcess operator;
    private static KubernetesClient client;

    /** One status as written: the generation it was read at and what kstatus reads. */
    record Snapshot(long generation, Long observedGeneration, String ready, String reconciling,
            String reconcilingReason, String stalled) {

        static Snapshot of(RealtimePlatform p) {
            return new Snapshot(p.getMetadata().getGeneration(), p.getStatus().observedGeneration, status(p, "Ready"),
                    status(p, "Reconciling"), Platforms.condition(p, "Reconciling").map(c -> c.getReason()).orElse(null),
                    status(p, "Stalled"));
        }

        private static String status(RealtimePlatform p, String type) {
            return Platforms.condition(p, type).map(c -> c.getStatus()).orElse(null);
        }

        /** kstatus' verdict for a custom resource (sigs.k8s.io/cli-utils kstatus, generic rules). */
        boolean current() {
            return observedGeneration != null && observedGeneration == generation && !"True".equals(reconciling)
                    && !"True".equals(stalled);
        }
    }

    @BeforeAll
    static void start() {
        region = SimulatedRegion.start("us-east-1");
        region.controlPlane().installCrds();
        client = region.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName(OperatorProcess.OPERATOR_NAMESPACE).endMetadata().build()).serverSideApply();
        // The platform's pods must pass the API server's Pod Security admission at "restricted" (what
        // hardened clusters enforce) and find their own ServiceAccount, or no rollout ever completes.
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
        operator = OperatorProcess.start("kstatus", region.kubeconfig(), "us-east-1", OperatorProcess.WITHOUT_AWS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (region != null) {
            region.close();
        }
    }

    @Test
    void aSpecChangeIsReconcilingUntilItsRolloutIsDone() {
        List<Snapshot> written = new CopyOnWriteArrayList<>();
        try (Watch watch = Platforms.of(client).inNamespace(NAMESPACE).withName("roll").watch(recorder(written))) {
            Platforms.of(client).resource(Platforms.typed("roll", NAMESPACE, "us-east-1")).create();
            await("generation 1 current: pods running on the simulated nodes").atMost(ROLLOUT)
                    .until(() -> !written.isEmpty() && last(written).generation() == 1 && last(written).current()
                            && "True".equals(last(written).ready()));
            assertThat(written).as("Reconciling while the first pods start").anySatisfy(s -> {
                assertThat(s.reconciling()).isEqualTo("True");
                assertThat(s.observedGeneration()).isEqualTo(1L);
            });
            int before = written.size();

            Platforms.editSpec(client, NAMESPACE, "roll", spec -> spec.mediaServer.image = "ghcr.io/lifeline/media-server:0.2.0");

            await("generation 2 rolled out and current").atMost(ROLLOUT)
                    .until(() -> last(written).generation() == 2 && last(written).current());
            List<Snapshot> ofGeneration2 = written.subList(before, written.size()).stream()
                    .filter(s -> Long.valueOf(2).equals(s.observedGeneration())).toList();
            assertThat(ofGeneration2.get(0).reconciling())
                    .as("the first status of generation 2 is Reconciling (the Deployment has not rolled out yet), "
                            + "so Flux does not take it as done: %s", ofGeneration2).isEqualTo("True");
            assertThat(ofGeneration2.get(0).reconcilingReason()).isEqualTo("RollingOut");
            assertThat(written).noneMatch(s -> "True".equals(s.stalled()));
        }
    }

    @Test
    void aRegionTheSpecDoesNotListIsStalled() {
        Platforms.of(client).resource(Platforms.typed("elsewhere", NAMESPACE, "eu-west-1")).create();

        Platforms.awaitCondition(client, NAMESPACE, "elsewhere", "Stalled", "True", "RegionNotListed");
        RealtimePlatform platform = Platforms.of(client).inNamespace(NAMESPACE).withName("elsewhere").get();
        assertThat(platform.getStatus().observedGeneration).isEqualTo(platform.getMetadata().getGeneration());
        assertThat(Platforms.condition(platform, "Reconciling").orElseThrow().getStatus()).isEqualTo("False");
    }

    private static Snapshot last(List<Snapshot> written) {
        return written.get(written.size() - 1);
    }

    private static Watcher<RealtimePlatform> recorder(List<Snapshot> written) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, RealtimePlatform platform) {
                if (platform.getStatus() != null && (action == Action.ADDED || action == Action.MODIFIED)) {
                    written.add(Snapshot.of(platform));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
