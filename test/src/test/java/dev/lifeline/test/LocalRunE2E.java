package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.load.Disruption;

/**
 * The README's local run on a machine that allows real nodes: the demo platform's pods run the
 * built image on a real kubelet, the platform turns Ready, calls flow from the load generator,
 * and the printed command that breaks a relay does break it, after which every call it carried
 * has media again through the other relay.
 */
class LocalRunE2E {

    @Test
    void withRealNodesTheLocalRunReachesReadyWithCallsFlowingAndItsBreakCommandHeals() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRun.Running running = LocalRun.startWithRealPods("us-east-1",
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("Real nodes available", "applied   RealtimePlatform/demo", "get rtp -A -w",
                    "/realtimeplatforms/demo/health", "Break a relay:");
            assertThat(output).containsPattern("Ready +True");
            var calls = running.calls().orElseThrow();
            assertThat(calls.calls()).hasSize(LocalRun.CALLS);
            RealPodsE2E.awaitMediaFlowing(calls);

            Matcher breakCommand = Pattern.compile("Break a relay: +kill -9 (\\d+) +# SIGKILLs relay (\\S+)'s JVM")
                    .matcher(output);
            assertThat(breakCommand.find()).as("the break command in:\n" + output).isTrue();
            String relay = breakCommand.group(2);
            Disruption kill = calls.disruption("SIGKILL", relay);
            assertThat(kill.affected()).as("calls on " + relay).isNotEmpty();
            Process command = new ProcessBuilder("kill", "-9", breakCommand.group(1)).inheritIO().start();
            assertThat(command.waitFor()).isZero();
            await("every call of " + relay + " has media again through the other relay").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(kill::allBack);
            assertThat(LocalRun.callsLine(calls)).doesNotContain(relay);
        }
    }
}
