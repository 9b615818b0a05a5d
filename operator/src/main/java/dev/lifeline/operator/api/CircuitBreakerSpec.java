package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Thresholds of the circuit breaker per (region, component). */
public class CircuitBreakerSpec {

    @Default("50")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Failure rate in percent over the sliding window at which the breaker opens (1 to 100).")
    public int failureRateThreshold = 50;

    @Default("30")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Length in seconds of the sliding window the failure rate is computed over.")
    public int slidingWindowSeconds = 30;

    @Default("10")
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Samples the window must hold before the failure rate can open the breaker.")
    public int minimumSamples = 10;

    @Default("30")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds the breaker stays open before it lets probes through (half-open).")
    public int openSeconds = 30;

    @Default("3")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Consecutive good probes in half-open state that close the breaker; one bad probe opens it again.")
    public int halfOpenProbes = 3;
}
