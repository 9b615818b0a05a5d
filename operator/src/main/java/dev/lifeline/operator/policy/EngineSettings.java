package dev.lifeline.operator.policy;

import java.time.Duration;

/**
 * Engine knobs that are not (yet) part of the custom resource; the defaults are what Lifeline runs with.
 *
 * @param unreadyGrace how long a pod may be unready (starting, warming up) before it counts as needing a restart
 * @param forecastBuffer added to the measured p99 pod start time to form the forecast horizon
 * @param scaleDownStabilization a scale-down goes only to the highest recommendation of this trailing window
 *        (as the HorizontalPodAutoscaler does), and not before the engine has seen a whole window
 * @param forecastSampling at most one forecast sample per this interval: a trend measured over seconds turns
 *        every step in sessions into a steep slope
 */
public record EngineSettings(Duration unreadyGrace, Duration forecastBuffer, Duration scaleDownStabilization,
        Duration forecastSampling) {

    public static final EngineSettings DEFAULTS = new EngineSettings(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofSeconds(30));

    public EngineSettings {
        if (unreadyGrace.isNegative() || forecastBuffer.isNegative() || scaleDownStabilization.isNegative()
                || forecastSampling.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }
}
