package dev.lifeline.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's own metrics (reconciliations started, succeeded, failed; execution times) per
 * controller, not per platform. The Quarkus extension's default collects them per resource: a
 * reconcile-time histogram of 69 buckets and a dozen other series for every platform, 115,000
 * series and most of a scrape for 1,000 platforms, and heap that grows with each platform (the
 * scale benchmark). Per-platform health is in Lifeline's own series ({@link MetricNames}), which
 * the dashboards and alerts read; nothing reads the SDK's per-resource ones.
 */
@Singleton
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics perController(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
