package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.SingleRegion;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Every file in samples/ is accepted by the API server and reconciled by the operator. */
class SamplesIT {

    private static SingleRegion region;
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        region = SingleRegion.start("samples", "us-east-1");
        plane = region.plane();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void everySampleIsAcceptedAndReconciled() {
        KubernetesClient client = plane.client();
        List<Path> files = ControlPlane.yamlFiles(RepoPaths.samples());
        assertThat(files).as("samples/").hasSizeGreaterThanOrEqualTo(2);

        List<HasMetadata> platforms = new ArrayList<>();
        for (Path file : files) {
            List<HasMetadata> items = plane.load(file);
            assertThat(items).as(file.toString()).isNotEmpty();
            for (HasMetadata item : items) {
                client.resource(item).serverSideApply();
                if ("RealtimePlatform".equals(item.getKind())) {
                    platforms.add(item);
                }
            }
        }
        assertThat(platforms).as("RealtimePlatforms in samples/").hasSizeGreaterThanOrEqualTo(2);

        for (HasMetadata sample : platforms) {
            String namespace = sample.getMetadata().getNamespace();
            String name = sample.getMetadata().getName();
            RealtimePlatform reconciled = await(name + " reconciled").atMost(Platforms.RECONCILE_TIMEOUT)
                    .until(() -> Platforms.of(client).inNamespace(namespace).withName(name).get(),
                            p -> p.getStatus() != null
                                    && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration));
            assertThat(Platforms.condition(reconciled, "WorkloadsAvailable")).get()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("Progressing"));
            Platforms.awaitDeployment(client, namespace, name + "-media-server");
            Platforms.awaitDeployment(client, namespace, name + "-signaling");
        }
    }
}
