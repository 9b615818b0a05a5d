package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.PlatformYaml;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The CRD from crds/ on a real API server: bad input is rejected with a message that says what
 * to fix (OpenAPI schema and CEL rules), good input is accepted and defaulted.
 */
class CrdValidationIT {

    private static final String NAMESPACE = "validation";
    private static ControlPlane plane;

    @BeforeAll
    static void startControlPlane() {
        plane = ControlPlane.start("validation");
        plane.installCrds();
        plane.createNamespace(NAMESPACE);
    }

    @AfterAll
    static void stopControlPlane() {
        if (plane != null) {
            plane.close();
        }
    }

    record Invalid(String what, Consumer<Map<String, Object>> change, String expectedMessage) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> invalidResources() {
        List<Invalid> cases = new ArrayList<>();
        cases.add(new Invalid("no regions", s -> s.put("regions", List.of()),
                "spec.regions: Invalid value: 0: spec.regions in body should have at least 1 items"));
        cases.add(new Invalid("more than 10 regions", s -> s.put("regions", manyRegions(11)),
                "must have at most 10 items"));
        cases.add(new Invalid("duplicate region names", s -> s.put("regions",
                List.of(region("us-east-1", 100), region("us-east-1", 50))), "region names must be unique"));
        cases.add(new Invalid("malformed region name", s -> s.put("regions", List.of(region("US_EAST", 100))),
                "spec.regions[0].name in body should match"));
        cases.add(new Invalid("all weights zero", s -> s.put("regions", List.of(region("us-east-1", 0))),
                "at least one region needs weight > 0"));
        cases.add(new Invalid("weight above 255", s -> s.put("regions", List.of(region("us-east-1", 256))),
                "spec.regions[0].weight in body should be less than or equal to 255"));
        cases.add(new Invalid("every weighted region drained", s -> {
            Map<String, Object> r = region("us-east-1", 100);
            r.put("drain", true);
            s.put("regions", List.of(r));
        }, "draining every region would leave no region serving"));
        cases.add(new Invalid("homeRegion not among regions", s -> path(s, "sessionStore").put("homeRegion", "eu-west-1"),
                "spec.sessionStore.homeRegion must be one of the names in spec.regions"));
        cases.add(new Invalid("replicas min above max", s -> path(s, "mediaServer").put("replicas",
                Map.of("min", 5, "max", 2)), "replicas.min must be less than or equal to replicas.max"));
        cases.add(new Invalid("malformed image", s -> path(s, "mediaServer").put("image", "Not An Image!"),
                "spec.mediaServer.image in body should match"));
        cases.add(new Invalid("privileged UDP port", s -> path(s, "mediaServer").put("udpPort", 53),
                "spec.mediaServer.udpPort in body should be greater than or equal to 1024"));
        cases.add(new Invalid("cpu request above limit", s -> path(s, "mediaServer").put("resources",
                Map.of("requests", Map.of("cpu", "4"), "limits", Map.of("cpu", "2"))),
                "resources.requests.cpu must not exceed resources.limits.cpu"));
        cases.add(new Invalid("table name too short", s -> path(s, "sessionStore").put("tableName", "ab"),
                "spec.sessionStore.tableName in body should match"));
        cases.add(new Invalid("unknown billing mode", s -> path(s, "sessionStore").put("billingMode", "OnDemand"),
                "Unsupported value: \"OnDemand\": supported values: \"PayPerRequest\", \"Provisioned\""));
        cases.add(new Invalid("provisioned without capacity", s -> path(s, "sessionStore").put("billingMode", "Provisioned"),
                "billingMode Provisioned needs readCapacityUnits and writeCapacityUnits"));
        cases.add(new Invalid("unknown deletion policy", s -> path(s, "sessionStore").put("deletionPolicy", "Destroy"),
                "spec.sessionStore.deletionPolicy: Unsupported value: \"Destroy\": supported values: \"Delete\", \"Retain\""));
        cases.add(new Invalid("malformed record name", s -> path(s, "dns").put("recordName", "-bad-.example"),
                "spec.dns.recordName in body should match"));
        cases.add(new Invalid("TTL of zero", s -> path(s, "dns").put("ttlSeconds", 0),
                "spec.dns.ttlSeconds in body should be greater than or equal to 1"));
        cases.add(new Invalid("health-check interval Route 53 does not support", s -> path(path(s, "dns"), "healthCheck")
                .put("intervalSeconds", 15), "healthCheck.intervalSeconds must be 10 or 30"));
        cases.add(new Invalid("unknown routing policy", s -> path(s, "dns").put("routingPolicy", "RoundRobin"),
                "spec.dns.routingPolicy: Unsupported value: \"RoundRobin\": supported values: \"Failover\", \"Latency\", \"Weighted\""));
        cases.add(new Invalid("staleAfter not above heartbeat", s -> s.put("failover",
                Map.of("heartbeatIntervalSeconds", 5, "staleAfterSeconds", 5)),
                "failover.staleAfterSeconds must be greater than failover.heartbeatIntervalSeconds"));
        cases.add(new Invalid("unknown quorum", s -> s.put("failover", Map.of("quorum", "Most")),
                "spec.failover.quorum: Unsupported value: \"Most\": supported values: \"All\", \"Majority\""));
        cases.add(new Invalid("loss threshold above 100 %", s -> s.put("failover",
                Map.of("relayHealth", Map.of("lossPercentThreshold", 101))),
                "spec.failover.relayHealth.lossPercentThreshold in body should be less than or equal to 100"));
        cases.add(new Invalid("event-loop lag threshold of zero", s -> s.put("failover",
                Map.of("relayHealth", Map.of("eventLoopLagMillisThreshold", 0))),
                "spec.failover.relayHealth.eventLoopLagMillisThreshold in body should be greater than or equal to 1"));
        cases.add(new Invalid("failure-rate threshold above 100", s -> s.put("failover",
                Map.of("circuitBreaker", Map.of("failureRateThreshold", 101))),
                "spec.failover.circuitBreaker.failureRateThreshold in body should be less than or equal to 100"));
        cases.add(new Invalid("restart backoff above its maximum", s -> s.put("failover",
                Map.of("restart", Map.of("backoffSeconds", 600, "maxBackoffSeconds", 60))),
                "failover.restart.backoffSeconds must not exceed failover.restart.maxBackoffSeconds"));
        cases.add(new Invalid("reroute step of zero", s -> s.put("failover", Map.of("reroute", Map.of("stepPercent", 0))),
                "spec.failover.reroute.stepPercent in body should be greater than or equal to 1"));
        cases.add(new Invalid("missing dns", s -> s.remove("dns"), "spec.dns: Required value"));
        cases.add(new Invalid("missing session store", s -> s.remove("sessionStore"), "spec.sessionStore: Required value"));
        cases.add(new Invalid("paused as a string", s -> s.put("paused", "yes"),
                "spec.paused: Invalid value: \"string\": spec.paused in body must be of type boolean"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResources")
    void rejectsInvalidResourceWithActionableMessage(Invalid invalid) {
        GenericKubernetesResource resource = PlatformYaml.minimal("invalid", NAMESPACE);
        invalid.change().accept(PlatformYaml.spec(resource));

        assertThatThrownBy(() -> plane.client().resource(resource).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(invalid.expectedMessage());
    }

    @Test
    void acceptsValidResourceAndAppliesDefaults() {
        GenericKubernetesResource created = plane.client().resource(PlatformYaml.minimal("valid", NAMESPACE)).create();

        Map<String, Object> spec = PlatformYaml.spec(created);
        assertThat(path(spec, "mediaServer")).containsEntry("udpPort", 40000).containsEntry("sessionsPerReplica", 500)
                .containsEntry("image", "ghcr.io/lifeline/media-server:0.1.0");
        assertThat(path(spec, "sessionStore")).containsEntry("deletionPolicy", "Retain")
                .containsEntry("billingMode", "PayPerRequest");
        assertThat(path(spec, "dns")).containsEntry("routingPolicy", "Weighted").containsEntry("ttlSeconds", 30);
        assertThat(path(spec, "failover")).containsEntry("quorum", "Majority").containsEntry("staleAfterSeconds", 6);
        assertThat(spec).containsEntry("paused", false).containsEntry("dryRun", false);
    }

    @Test
    void kubectlExplainTeachesEveryField() {
        // The API server publishes a new CRD in discovery shortly after it is Established.
        String failover = org.awaitility.Awaitility.await("rtp in discovery").atMost(java.time.Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> plane.kubectl("explain", "rtp.spec.failover"), out -> out != null);
        assertThat(failover).contains("When and how Lifeline detects failures", "circuitBreaker", "quorum",
                "staleAfterSeconds");
        String threshold = plane.kubectl("explain", "rtp.spec.failover.circuitBreaker.failureRateThreshold");
        assertThat(threshold).contains("DESCRIPTION").doesNotContain("<empty>");
        plane.client().resource(PlatformYaml.minimal("columns", NAMESPACE)).create();
        String columns = plane.kubectl("get", "rtp", "columns", "-n", NAMESPACE);
        assertThat(columns.lines().findFirst().orElseThrow()).contains("READY", "REGIONS", "HEALTHY", "SESSIONS", "AGE");
    }

    @Test
    void rejectsUpdateThatBreaksARule() {
        plane.client().resource(PlatformYaml.minimal("updated", NAMESPACE)).create();
        GenericKubernetesResource broken = PlatformYaml.minimal("updated", NAMESPACE);
        path(PlatformYaml.spec(broken), "sessionStore").put("homeRegion", "ap-south-1");

        assertThatThrownBy(() -> plane.client().resource(broken).update())
                .hasMessageContaining("spec.sessionStore.homeRegion must be one of the names in spec.regions");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> path(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    static Map<String, Object> region(String name, int weight) {
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("name", name);
        region.put("weight", weight);
        return region;
    }

    static List<Map<String, Object>> manyRegions(int count) {
        List<Map<String, Object>> regions = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            regions.add(region("us-east-" + i, 10));
        }
        return regions;
    }
}
