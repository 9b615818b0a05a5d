package dev.lifeline.operator.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;

/** The samples of a scrape, found by name and some of their labels, for tests of what /q/metrics shows. */
public final class GaugeSamples {

    private GaugeSamples() {
    }

    /** The values of the samples named {@code name} (Prometheus form) whose labels include {@code labels}. */
    public static List<Double> values(Collector collector, String name, Map<String, String> labels) {
        List<Double> values = new ArrayList<>();
        for (MetricFamilySamples family : collector.collect()) {
            for (MetricFamilySamples.Sample sample : family.samples) {
                if (sample.name.equals(name) && matches(sample, labels)) {
                    values.add(sample.value);
                }
            }
        }
        return Collections.unmodifiableList(values);
    }

    private static boolean matches(MetricFamilySamples.Sample sample, Map<String, String> labels) {
        return labels.entrySet().stream().allMatch(label -> {
            int at = sample.labelNames.indexOf(label.getKey());
            return at >= 0 && sample.labelValues.get(at).equals(label.getValue());
        });
    }
}
