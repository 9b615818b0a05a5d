package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.Platforms;

/**
 * The README's local run (scripts/local-run.sh runs LocalRun) on a machine without real nodes:
 * kwok's simulated nodes, every sample applied, and the newcomer sees the platforms Ready.
 * {@link LocalRunE2E} covers the same command with real pods and calls.
 */
class LocalRunIT {

    @Test
    void withoutRealNodesTheLocalRunFallsBackToKwokSaysSoAndReachesReady() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRun.Running running = LocalRun.startOnKwok("us-east-1", "(LocalRunIT: real nodes not used)",
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("No real nodes on this machine", "(LocalRunIT: real nodes not used)",
                    "applied   RealtimePlatform/demo", "applied   RealtimePlatform/meet",
                    "created   Deployment/meet-media-server", "created   Service/meet-signaling (LoadBalancer",
                    "created   PodDisruptionBudget/demo-signaling", "get rtp -A -w", "/realtimeplatforms/demo/health");
            assertThat(running.operator().isAlive()).isTrue();
            assertThat(running.calls()).isEmpty();
            var demo = Platforms.of(running.plane().client()).inNamespace(LocalRun.NAMESPACE).withName(LocalRun.DEMO).get();
            assertThat(Platforms.condition(demo, "Ready")).get().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
            assertThat(output).containsPattern("Ready +True");
            assertThat(output).contains("Status page:", running.operator().baseUrl() + "/status/?namespace=rtc&name=demo",
                    "create token <serviceaccount>");
            String token = output.lines().dropWhile(l -> !l.startsWith("Token for the page")).skip(1).findFirst()
                    .orElseThrow().trim();
            assertThat(running.operator().request("GET", "/api/v1/namespaces/rtc/realtimeplatforms/demo/health", token)
                    .statusCode()).as("the printed token reads the REST API").isEqualTo(200);
        }
    }
}
