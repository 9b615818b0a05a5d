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
        }
    }
}
