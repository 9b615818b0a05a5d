package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;

/** The README's local-run command (scripts/local-run.sh runs LocalRun) works and prints what it created. */
class LocalRunIT {

    @Test
    void localRunAppliesSamplesAndPrintsWhatWasCreatedAndTheStatus() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ControlPlane plane = ControlPlane.start("local-run-it");
                OperatorProcess operator = LocalRun.run(plane, "us-east-1",
                        new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("applied   RealtimePlatform/demo", "applied   RealtimePlatform/meet",
                    "created   Deployment/meet-media-server", "created   Service/meet-signaling (LoadBalancer",
                    "created   PodDisruptionBudget/demo-signaling", "WorkloadsAvailable", "get rtp -A");
            assertThat(operator.isAlive()).isTrue();
            assertThat(output).contains("Status page: " + operator.baseUrl() + "/status/?namespace=rtc&name=meet",
                    "create token <serviceaccount>");
            String token = output.lines().dropWhile(l -> !l.startsWith("Token for the page")).skip(1).findFirst()
                    .orElseThrow().trim();
            assertThat(operator.request("GET", "/api/v1/namespaces/rtc/realtimeplatforms/meet/history", token)
                    .statusCode()).as("the printed token reads the REST API").isEqualTo(200);
        }
    }
}
