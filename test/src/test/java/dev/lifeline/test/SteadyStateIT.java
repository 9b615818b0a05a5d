package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ApiServerRequests;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.SingleRegion;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Steady state costs the API server no writes (issue 13, item 4): with Ready platforms and nothing
 * changed, the operator, which reconciles each platform every heartbeat interval, sends no write
 * request at all, counted by the API server itself ({@code apiserver_request_total}). A server-side
 * apply that changes nothing leaves every resourceVersion as it was (what ReconcileIT checks), so
 * only the server's counters see a dependent re-applied on every reconcile.
 */
class SteadyStateIT {

    private static final String REGION = "us-east-1";
    private static final List<String> PLATFORMS = List.of("one", "two", "three");
    private static SingleRegion region;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SingleRegion.start("steady", REGION);
        client = region.plane().client();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void readyPlatformsLeftAloneCauseNoWriteRequestsAndNoPerPlatformSdkMetrics() {
        ControlPlane plane = region.plane();
        plane.createNamespace("steady");
        int address = 20;
        for (String name : PLATFORMS) {
            Platforms.of(client).resource(Platforms.typed(name, "steady", REGION)).create();
            Platforms.markAvailable(client, "steady", Platforms.awaitDeployment(client, "steady", name + "-media-server")
                    .getMetadata().getName());
            Platforms.markAvailable(client, "steady", Platforms.awaitDeployment(client, "steady", name + "-signaling")
                    .getMetadata().getName());
            Platforms.assignLoadBalancer(client, "steady", name, "192.0.2." + address++);
        }
        for (String name : PLATFORMS) {
            Platforms.awaitCondition(client, "steady", name, "Ready", "True", "Ready");
        }
        await("the Ready transition Events written").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> {
                    var events = client.v1().events().inNamespace("steady").list().getItems();
                    return PLATFORMS.stream().allMatch(name -> events.stream().anyMatch(e -> "Ready".equals(e.getReason())
                            && name.equals(e.getInvolvedObject().getName())));
                });

        // Several reconciles of every platform (heartbeat interval 2 s); leases are leader election and
        // the API server's own identity lease, renewed whatever the platforms do.
        ApiServerRequests before = ApiServerRequests.of(client);
        Map<String, Double> writes = await("no write request while nothing changes").during(Duration.ofSeconds(20))
                .atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ApiServerRequests.of(client).since(before).writes().without("leases").counts(),
                        Map::isEmpty);
        assertThat(writes).isEmpty();
        // The window did see reconciles: the operator read nothing from the API server for them (informers),
        // but its leader election renewed its Lease, so the counters were moving.
        assertThat(ApiServerRequests.of(client).since(before).counts()).containsKey("PATCH leases");

        // The operator SDK's metrics are per controller: no series per platform (OperatorSdkMetrics).
        List<String> sdkSeries = region.operator().get("/q/metrics").lines()
                .filter(l -> l.startsWith("operator_sdk_")).toList();
        assertThat(sdkSeries).anyMatch(l -> l.startsWith("operator_sdk_reconciliations_started_total"));
        assertThat(sdkSeries).noneMatch(l -> PLATFORMS.stream().anyMatch(name -> l.contains("name=\"" + name + "\"")));
    }
}
