package dev.lifeline.operator.memory;

import io.micrometer.core.instrument.Tags;

/**
 * One gauge of a platform: its meter name ({@code MetricNames}) and its tags besides the platform's own
 * ({@link PlatformKey#tags()}), e.g. {@code lifeline.region.healthy} with {@code region=eu-west-1}.
 */
public record PlatformGauge(String name, Tags tags) {
}
