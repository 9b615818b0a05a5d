package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Promtool;
import dev.lifeline.test.harness.RepoPaths;

/**
 * The alerts and the dashboard in deploy/monitoring/ against the real tools and a running
 * operator: Prometheus' promtool checks the rules and runs their unit tests
 * (deploy/monitoring/tests/alerts-test.yaml), and every metric name an alert expression or a
 * dashboard query reads (found by Prometheus' own PromQL parser, test/tools/promql-names), and every
 * histogram bucket bound (le) it selects, must be in the /q/metrics of operators that reconciled a platform in two regions (see {@link RegionSet})
 * and ran a failover drill. A renamed metric fails here until the alerts and the dashboard follow.
 */
class MonitoringRulesIT {

    /**
     * The one place for metrics that alerts or panels read before any operator exports them: name -> who adds it.
     * The test fails when one of them appears in the scrape (then remove it here) or is no longer read.
     */
    static final Map<String, String> PENDING = Map.of();

    private static final String PLATFORM_PATH = "/api/v1/namespaces/rtc/realtimeplatforms/meet";
    /** Grafana's interval variables, replaced by a duration before parsing (they are not PromQL). */
    private static final Map<String, String> GRAFANA_INTERVALS = Map.of(
            "$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h");
    /** Grafana's label_values(selector, label) wraps a series selector; only the selector is PromQL. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bound of a bucket sample in the text format: name{...,le="10.0"} value. */
    private static final Pattern BUCKET_BOUND = Pattern.compile("[{,]le=\"([^\"]*)\"");

    private static Promtool tools;
    private static RegionSet regions;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        tools = Promtool.provide();
        work = Files.createDirectories(RepoPaths.root().resolve("test/target/monitoring"));
        regions = RegionSet.start("monitoring", List.of("us-east-1", "eu-west-1"), List.of(), RegionSet::shortDrills);
        regions.awaitSteady("start", Duration.ofSeconds(120));
        // A drill drains us-east-1 on purpose: weight, decision and INSYNC series get values.
        assertThat(regions.operators.get("us-east-1").post(PLATFORM_PATH + "/drill?holdSeconds=60").statusCode())
                .isEqualTo(202);
        await("us-east-1 drained by the drill").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("us-east-1")));
    }

    @AfterAll
    static void stop() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void promtoolFindsTheRulesValid() throws IOException {
        Promtool.Result checked = tools.promtool("check", "rules", "--lint=all", "--lint-fatal", rulesFile().toString());
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("SUCCESS: " + MonitoringFiles.alerts().size() + " rules found");
    }

    @Test
    void theAlertsPassTheirPromtoolUnitTests() throws IOException {
        Path rules = rulesFile();
        Path unitTests = Files.copy(MonitoringFiles.ALERT_TESTS,
                rules.resolveSibling("alerts-test.yaml"), StandardCopyOption.REPLACE_EXISTING);
        Promtool.Result tested = tools.promtool("test", "rules", unitTests.toString());
        assertThat(tested.exit()).as(tested.output()).isZero();
        assertThat(tested.output()).contains("SUCCESS");
    }

    @Test
    void everyMetricAnAlertOrAPanelReadsIsExportedByARunningOperator() throws IOException {
        Map<String, String> expressions = new TreeMap<>(); // expression -> where it is
        MonitoringFiles.alerts()
                .forEach(rule -> expressions.put(rule.get("expr").asText(), "alert " + rule.get("alert").asText()));
        dashboardQueries().forEach((where, query) -> expressions.put(query, where));
        Map<String, Set<String>> read = namesRead(expressions);

        Set<String> readAnywhere = new TreeSet<>();
        read.values().forEach(readAnywhere::addAll);
        assertThat(readAnywhere).as("names read").contains("lifeline_dns_weight", "lifeline_decisions_total",
                "lifeline_aws_calls_total", "lifeline_failover_detection_seconds_bucket");
        assertThat(readAnywhere).as("pending names must still be read somewhere").containsAll(PENDING.keySet());

        await("every name read is exported").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Set<String> exported = scrapedNames();
                    // noneMatch, not doesNotContainAnyElementsOf: AssertJ refuses an empty list to look for
                    assertThat(exported).as("pending names now exported: remove them from PENDING")
                            .noneMatch(PENDING::containsKey);
                    Map<String, Set<String>> missing = new TreeMap<>();
                    read.forEach((where, names) -> names.stream()
                            .filter(name -> !exported.contains(name) && !PENDING.containsKey(name))
                            .forEach(name -> missing.computeIfAbsent(where, w -> new TreeSet<>()).add(name)));
                    assertThat(missing).as("metric names (and bucket bounds) read but not in /q/metrics").isEmpty();
                });
    }

    /** The PrometheusRule's rule groups as a plain rules file, the form promtool reads. */
    private static Path rulesFile() throws IOException {
        Path rules = work.resolve("rules.yaml");
        MonitoringFiles.YAML.writeValue(rules.toFile(), MonitoringFiles.prometheusRule().get("spec"));
        return rules;
    }

    /** Every PromQL query of the dashboard (panel targets and query variables), keyed by where it is. */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(MonitoringFiles.DASHBOARD.toFile());
        Map<String, String> queries = new TreeMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // panels of a collapsed row
        });
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(target -> queries.put(
                    "panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText(),
                    target.get("expr").asText()));
        }
        dashboard.path("templating").path("list").forEach(variable -> {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.get("query");
                String text = query.isTextual() ? query.asText() : query.get("query").asText();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                queries.put("variable $" + variable.get("name").asText(), labelValues.matches() ? labelValues.group(1)
                        : text);
            }
        });
        assertThat(queries).as("dashboard queries").hasSizeGreaterThan(10);
        return queries;
    }

    /** Where -> the metric names its expression reads, from Prometheus' PromQL parser. */
    private static Map<String, Set<String>> namesRead(Map<String, String> expressionsToWhere) throws IOException {
        List<String> expressions = new ArrayList<>(expressionsToWhere.keySet());
        List<String> parseable = expressions.stream().map(MonitoringRulesIT::withoutGrafanaIntervals).toList();
        Promtool.Result parsed = tools.promqlNames(JSON.writeValueAsString(parseable));
        assertThat(parsed.exit()).as(parsed.output()).isZero();
        JsonNode results = JSON.readTree(parsed.stdout());
        Map<String, Set<String>> read = new TreeMap<>();
        for (int i = 0; i < expressions.size(); i++) {
            JsonNode result = results.get(i);
            String where = expressionsToWhere.get(expressions.get(i));
            assertThat(result.path("error").asText()).as("PromQL of " + where + ": " + parseable.get(i)).isEmpty();
            Set<String> names = new TreeSet<>();
            result.get("names").forEach(name -> names.add(name.asText()));
            assertThat(names).as("metric names read by " + where).isNotEmpty();
            // A histogram bucket bound (le) is the operator's configuration too: it must be exported as read.
            result.get("selectors").forEach(selector -> {
                if (selector.path("equal").has("le")) {
                    names.add(bucket(selector.get("name").asText(), selector.get("equal").get("le").asText()));
                }
            });
            read.put(where, names);
        }
        return read;
    }

    private static String withoutGrafanaIntervals(String query) {
        String parseable = query;
        for (Map.Entry<String, String> interval : GRAFANA_INTERVALS.entrySet()) {
            parseable = parseable.replace(interval.getKey(), interval.getValue());
        }
        return parseable;
    }

    /**
     * The sample names in both operators' /q/metrics (Prometheus text format: a name, then labels or a value),
     * and each histogram bucket with its bound. Each scrape is kept in test/target/monitoring/ to read after a
     * failure.
     */
    private static Set<String> scrapedNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Map.Entry<String, OperatorProcess> operator : regions.operators.entrySet()) {
            String scrape = operator.getValue().get("/q/metrics");
            Files.writeString(work.resolve("metrics-" + operator.getKey() + ".txt"), scrape);
            scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
                String name = line.split("[{ ]", 2)[0];
                names.add(name);
                Matcher le = BUCKET_BOUND.matcher(line);
                if (le.find()) {
                    names.add(bucket(name, le.group(1)));
                }
            });
        }
        return names;
    }

    private static String bucket(String name, String le) {
        return name + "{le=\"" + le + "\"}";
    }
}
