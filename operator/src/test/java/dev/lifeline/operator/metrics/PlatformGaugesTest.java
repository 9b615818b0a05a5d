package dev.lifeline.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.memory.TestMemory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

class PlatformGaugesTest {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PlatformMemory memory = TestMemory.with(prometheus);
    private final PlatformGauges gauges = new PlatformGauges(memory);

    @Test
    void eachScrapeShowsTheLatestValuesWithThePlatformsLabels() {
        gauges.register(prometheus.getPrometheusRegistry());
        RealtimePlatform meet = platform("meet");
        memory.gauge(meet, MetricNames.REGION_HEALTHY, Tags.of("region", "eu-west-1"), 1);
        memory.gauge(meet, MetricNames.BREAKER_STATE, Tags.of("region", "us-east-1", "component", "mediaServer"), 2);
        memory.gauge(platform("other"), MetricNames.REGION_HEALTHY, Tags.of("region", "eu-west-1"), 1);
        memory.gauge(meet, MetricNames.REGION_HEALTHY, Tags.of("region", "eu-west-1"), 0);

        String scrape = prometheus.scrape();
        assertThat(scrape).contains("# TYPE lifeline_region_healthy gauge")
                .contains("lifeline_region_healthy{namespace=\"rtc\",platform=\"meet\",region=\"eu-west-1\",} 0.0")
                .contains("lifeline_region_healthy{namespace=\"rtc\",platform=\"other\",region=\"eu-west-1\",} 1.0")
                .contains("lifeline_breaker_state{component=\"mediaServer\",namespace=\"rtc\",platform=\"meet\","
                        + "region=\"us-east-1\",} 2.0")
                .contains("# HELP lifeline_breaker_state Breaker of a component in this region");
    }

    @Test
    void namesAndLabelsAreTheOnesAMicrometerGaugeWouldHave() {
        RealtimePlatform meet = platform("meet");
        PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String name : Set.of(MetricNames.RESTART_BUDGET_REMAINING, MetricNames.AWS_RESOURCE_CONVERGED,
                MetricNames.INSTANCES_MALFORMED)) {
            Tags tags = Tags.of("region", "us-east-1", "component", "signaling");
            memory.gauge(meet, name, tags, 3);
            micrometer.gauge(name, Tags.of("namespace", "rtc", "platform", "meet").and(tags), 3);
        }
        gauges.register(prometheus.getPrometheusRegistry());

        assertThat(series(prometheus.scrape())).hasSize(3).isEqualTo(series(micrometer.scrape()));
    }

    @Test
    void aForgottenPlatformsGaugesLeaveTheScrape() {
        RealtimePlatform meet = platform("meet");
        memory.gauge(meet, MetricNames.DNS_WEIGHT, Tags.of("region", "us-east-1"), 100);
        assertThat(GaugeSamples.values(gauges, "lifeline_dns_weight", Map.of("platform", "meet"))).containsExactly(100.0);

        memory.forget(meet);

        assertThat(gauges.collect()).as("no family without samples either").isEmpty();
    }

    /** The sample lines, exactly as exported (label order included: patterns over scrapes rely on it). */
    private static Set<String> series(String scrape) {
        return scrape.lines().filter(line -> line.startsWith("lifeline_")).collect(Collectors.toSet());
    }

    private static RealtimePlatform platform(String name) {
        RealtimePlatform platform = new RealtimePlatform();
        platform.setMetadata(new ObjectMetaBuilder().withNamespace("rtc").withName(name).build());
        return platform;
    }
}
