package dev.lifeline.operator.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.lifeline.operator.memory.PlatformMemory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.micrometer.prometheus.PrometheusNamingConvention;
import io.prometheus.client.Collector;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

/**
 * The per-platform gauges at /q/metrics, read from PlatformMemory at each scrape: a Prometheus collector of values
 * held elsewhere, as kube-state-metrics does, instead of a Micrometer gauge per value (a kilobyte of heap each, see
 * PlatformMemory#gauge). Names and labels are what Micrometer gave them: its Prometheus naming convention, and the
 * platform's tags ({@code namespace}, {@code platform}) with the gauge's own, in Micrometer's order (by key), which
 * some scrapers' and tests' patterns rely on.
 */
@Singleton
public class PlatformGauges extends Collector {

    private static final PrometheusNamingConvention NAMING = new PrometheusNamingConvention();
    /** The HELP line of each gauge (MetricNames explains them in full). */
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(MetricNames.BREAKER_STATE, "Breaker of a component in this region: 0 closed, 1 half-open, 2 open"),
            Map.entry(MetricNames.RESTART_BUDGET_REMAINING, "Restarts left in a component's hourly budget"),
            Map.entry(MetricNames.REGION_HEALTHY, "Health of a region as this operator sees it: 1 healthy, 0 not"),
            Map.entry(MetricNames.DNS_WEIGHT, "DNS weight this region's operator intends for its own record"),
            Map.entry(MetricNames.CONTROL_PLANE_SILENT,
                    "1 while a peer region's operator is silent but its service is not shown down"),
            Map.entry(MetricNames.REGION_SESSIONS, "Sessions in this region, from its relays' heartbeats"),
            Map.entry(MetricNames.REGION_CAPACITY, "Session capacity of this region, from its relays' heartbeats"),
            Map.entry(MetricNames.INSTANCES_LIVE, "Relays of this region with a fresh heartbeat"),
            Map.entry(MetricNames.INSTANCES_STALE, "Relays of this region whose heartbeat is stale"),
            Map.entry(MetricNames.INSTANCES_MALFORMED, "Heartbeat items of this region that could not be read"),
            Map.entry(MetricNames.AWS_RESOURCE_CONVERGED, "1 when the last check found the AWS resource as the spec says"));

    private final PlatformMemory memory;

    public PlatformGauges(PlatformMemory memory) {
        this.memory = memory;
    }

    void exportAtStartup(@Observes StartupEvent event, PrometheusMeterRegistry registry) {
        register(registry.getPrometheusRegistry());
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<String, Family> families = new TreeMap<>();
        memory.forEachGauge((platform, gauge, value) -> {
            List<String> labels = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (Tag tag : platform.tags().and(gauge.tags())) { // sorted by key, as Micrometer exports them
                labels.add(tag.getKey());
                values.add(tag.getValue());
            }
            Family family = families.computeIfAbsent(gauge.name(), Family::new);
            family.samples.add(new MetricFamilySamples.Sample(family.prometheusName, labels, values, value));
        });
        return families.values().stream().map(family -> new MetricFamilySamples(family.prometheusName, Type.GAUGE,
                HELP.getOrDefault(family.name, family.name), family.samples)).toList();
    }

    private static final class Family {
        final String name;
        final String prometheusName;
        final List<MetricFamilySamples.Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
            this.prometheusName = NAMING.name(name, Meter.Type.GAUGE);
        }
    }
}
