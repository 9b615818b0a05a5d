package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Capacity planning ahead of failover and demand. */
public class PreScaleSpec {

    @Default("20")
    @Min(0)
    @Max(500)
    @JsonPropertyDescription("Extra capacity in percent above the sessions to absorb (0 to 500).")
    public int headroomPercent = 20;

    @Default("true")
    @JsonPropertyDescription("true scales ahead of demand from a forecast of active sessions, never below the reactive need.")
    public boolean forecast = true;

    @Default("300")
    @Min(10)
    @Max(86400)
    @JsonPropertyDescription("How far ahead in seconds the forecast looks.")
    public int horizonSeconds = 300;
}
