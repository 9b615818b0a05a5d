package dev.lifeline.test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.lifeline.test.harness.RepoPaths;

/** The monitoring files in deploy/monitoring/ as the monitoring tests read them. */
final class MonitoringFiles {

    static final Path DIR = RepoPaths.deploy().resolve("monitoring");
    static final Path PROMETHEUS_RULE = DIR.resolve("prometheusrule.yaml");
    static final Path ALERT_TESTS = DIR.resolve("tests/alerts-test.yaml");
    static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");
    static final YAMLMapper YAML = new YAMLMapper();

    private MonitoringFiles() {
    }

    static JsonNode prometheusRule() throws IOException {
        return YAML.readTree(PROMETHEUS_RULE.toFile());
    }

    /** Every rule of every group (all of them alerts). */
    static List<JsonNode> alerts() throws IOException {
        List<JsonNode> alerts = new ArrayList<>();
        prometheusRule().get("spec").get("groups").forEach(group -> group.get("rules").forEach(alerts::add));
        return alerts;
    }
}
