package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.test.harness.ApiTokens;
import dev.lifeline.test.harness.RepoPaths;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The operator's status page in a real browser (Debian's chromium driven by playwright-core,
 * installed by test/scripts/browser.sh) against the packaged operators of two regions (see
 * {@link RegionSet}): a person who may only read sees the regions and no drill button; a person
 * who may patch the platform presses the button, and the page shows us-east-1 drained to weight 0,
 * then restored with the drill's measured times and the steps in the decision timeline.
 * Screenshots of each step land in test/target/status-page/.
 */
class StatusPageIT {

    private static final Path SCREENSHOTS = RepoPaths.root().resolve("test/target/status-page");
    private static final Path SCRIPT = RepoPaths.root().resolve("test/src/test/resources/status-page/drill-in-browser.mjs");
    private static RegionSet regions;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("status-page", List.of("us-east-1", "eu-west-1"), List.of(), RegionSet::shortDrills);
        regions.awaitSteady("start", Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopRegions() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void thePageShowsADrillDrainingTheRegionAndOnlyToThoseAllowedToStartOne() throws Exception {
        KubernetesClient admin = regions.planes.get("us-east-1").client();
        String viewer = ApiTokens.newServiceAccount(admin, "rtc", "viewer");
        ApiTokens.grantOnPlatforms(admin, "rtc", "viewer", "get");
        String drillRunner = ApiTokens.newServiceAccount(admin, "rtc", "drill-runner");
        ApiTokens.grantOnPlatforms(admin, "rtc", "drill-runner", "get", "patch");
        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.list(SCREENSHOTS)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }

        Map<String, JsonNode> seen = runInBrowser(Map.of(
                "PAGE_URL", regions.operators.get("us-east-1").baseUrl() + "/status/",
                "NAMESPACE", "rtc", "NAME", "meet", "REGION", "us-east-1", "PEER", "eu-west-1",
                "VIEWER_TOKEN", viewer, "DRILL_TOKEN", drillRunner,
                "SCREENSHOTS", SCREENSHOTS.toString(), "TIMEOUT_MS", "150000"));

        assertThat(seen.get("viewer").get("user").asText()).isEqualTo("system:serviceaccount:rtc:viewer");
        assertThat(seen.get("viewer").get("drillButtonVisible").asBoolean()).as("no drill button for a reader").isFalse();
        assertThat(seen.get("viewer").get("health").asText()).isEqualTo("Healthy");
        assertThat(seen.get("before").get("user").asText()).isEqualTo("system:serviceaccount:rtc:drill-runner");
        assertThat(seen.get("before").get("peerHealth").asText()).isEqualTo("Healthy");
        assertThat(seen.get("before").get("summary").asText())
                .isEqualTo("This operator runs in us-east-1: weight 100, Serving. 2 of 2 regions healthy.");

        JsonNode drained = seen.get("drained");
        String id = drained.get("drillId").asText();
        assertThat(id).startsWith("drill-");
        assertThat(drained.get("started").asText()).contains(id, "us-east-1");
        assertThat(drained.get("weight").asText()).isEqualTo("0");
        assertThat(drained.get("summary").asText()).startsWith("This operator runs in us-east-1: weight 0,");

        JsonNode completed = seen.get("completed");
        assertThat(completed.get("drillId").asText()).isEqualTo(id);
        assertThat(completed.get("weight").asText()).isEqualTo("100");
        // What the page shows is what the operator measured and recorded in the platform's status.
        DrillStatus drill = regions.platformIn("us-east-1").getStatus().drill;
        assertThat(drill.id).isEqualTo(id);
        assertThat(drill.phase).isEqualTo("Completed");
        assertThat(completed.get("drainSubmitted").asText()).isEqualTo(seconds(drill.drainSubmittedMillis));
        assertThat(completed.get("drainInSync").asText()).isEqualTo(seconds(drill.drainInSyncMillis));
        assertThat(completed.get("restored").asText()).isEqualTo(seconds(drill.restoredMillis));
        assertThat(completed.get("timeline").toString()).contains("RestoreStep | us-east-1");

        for (String screenshot : List.of("1-viewer-no-drill-button.png", "2-before-drill.png", "3-region-drained.png",
                "4-drill-completed.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(screenshot));
            assertThat(png).as(screenshot).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    /** The page formats measured times as seconds with one decimal. */
    private static String seconds(Long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Runs the browser script with node; its observations by step. Fails when any step failed. */
    private static Map<String, JsonNode> runInBrowser(Map<String, String> env) throws Exception {
        Map<String, String> tools = browserTools();
        Path log = RepoPaths.workDir().resolve("status-page-browser.log");
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString()).redirectError(log.toFile());
        builder.environment().putAll(tools);
        builder.environment().putAll(env);
        Process node = builder.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(5, TimeUnit.MINUTES)).as("browser script finished").isTrue();
        assertThat(node.exitValue()).as("browser script (stderr in " + log + "): " + Files.readString(log)).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode node1 = json.readTree(line);
            seen.put(node1.get("step").asText(), node1);
        }
        assertThat(seen).containsKeys("viewer", "before", "drained", "completed");
        return seen;
    }

    /** test/scripts/browser.sh: installs chromium and playwright-core when missing, says where they are. */
    private static Map<String, String> browserTools() {
        try {
            Process script = new ProcessBuilder(RepoPaths.root().resolve("test/scripts/browser.sh").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script.waitFor()).as("test/scripts/browser.sh").isZero();
            Map<String, String> tools = new LinkedHashMap<>();
            out.lines().filter(l -> l.contains("=")).forEach(l -> tools.put(l.substring(0, l.indexOf('=')),
                    l.substring(l.indexOf('=') + 1)));
            assertThat(tools).containsKeys("CHROMIUM", "PLAYWRIGHT_DIR");
            return tools;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
