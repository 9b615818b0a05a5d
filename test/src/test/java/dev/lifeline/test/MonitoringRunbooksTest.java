package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.test.harness.RepoPaths;

/**
 * Every alert in deploy/monitoring/prometheusrule.yaml links its runbook
 * (docs/runbooks/&lt;alert&gt;.md, which exists and is listed in the runbooks' index), has a summary
 * and a description and a severity, and is exercised by a promtool unit test that expects it to
 * fire; every runbook belongs to an alert. MonitoringRulesIT runs the rules and tests in promtool.
 */
class MonitoringRunbooksTest {

    private static final Path RUNBOOKS = RepoPaths.root().resolve("docs/runbooks");

    @Test
    void everyAlertLinksItsRunbookAndEveryRunbookHasAnAlert() throws IOException {
        List<JsonNode> alerts = alerts();
        assertThat(alerts).extracting(a -> a.get("alert").asText()).contains("LifelineRegionDrained",
                "LifelineBreakerOpen", "LifelineControlPlaneSilent", "LifelineAwsThrottled", "LifelineAwsUnavailable",
                "LifelineFailoverSlow", "LifelineDrift", "LifelineRestartBudgetExhausted");
        String index = Files.readString(RUNBOOKS.resolve("README.md"));
        for (JsonNode alert : alerts) {
            String name = alert.get("alert").asText();
            JsonNode annotations = alert.get("annotations");
            assertThat(annotations.path("runbook_url").asText()).as(name).endsWith("/docs/runbooks/" + name + ".md");
            Path runbook = RUNBOOKS.resolve(name + ".md");
            assertThat(runbook).as(name).exists();
            assertThat(Files.readString(runbook)).as(runbook.toString()).startsWith("# " + name + "\n")
                    .contains("## Meaning", "## What to do");
            assertThat(index).as("runbook index").contains("[" + name + ".md](" + name + ".md)");
            assertThat(annotations.path("summary").asText()).as(name).isNotBlank();
            assertThat(annotations.path("description").asText()).as(name).isNotBlank();
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
        }
        Set<String> runbooks = new TreeSet<>();
        try (Stream<Path> files = Files.list(RUNBOOKS)) {
            files.map(p -> p.getFileName().toString()).filter(f -> !f.equals("README.md"))
                    .forEach(f -> runbooks.add(f.replaceFirst("\\.md$", "")));
        }
        assertThat(runbooks).as("runbooks without an alert")
                .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.get("alert").asText()).toList());
    }

    @Test
    void everyAlertHasAUnitTestThatExpectsItToFire() throws IOException {
        JsonNode unitTests = MonitoringFiles.YAML.readTree(MonitoringFiles.ALERT_TESTS.toFile());
        Set<String> firing = new TreeSet<>();
        unitTests.get("tests").forEach(test -> test.path("alert_rule_test").forEach(check -> {
            if (!check.path("exp_alerts").isEmpty()) {
                firing.add(check.get("alertname").asText());
            }
        }));
        assertThat(firing).containsAll(alerts().stream().map(a -> a.get("alert").asText()).toList());
    }

    private static List<JsonNode> alerts() throws IOException {
        JsonNode rule = MonitoringFiles.prometheusRule();
        assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
        return MonitoringFiles.alerts();
    }
}
