package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How traffic is moved away from a failed region and back. */
public class RerouteSpec {

    @Default("25")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Percent of a recovered region's weight restored per step, with a health check between steps (1 to 100).")
    public int stepPercent = 25;

    @Default("60")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds a drain waits for the surviving regions' extra capacity before moving traffic anyway.")
    public int drainDeadlineSeconds = 60;
}
