package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Route 53 HTTP health check against a region's signaling endpoint. */
@ValidationRule(value = "self.intervalSeconds == 10 || self.intervalSeconds == 30",
        message = "healthCheck.intervalSeconds must be 10 or 30 (the intervals Route 53 supports)")
public class HealthCheckSpec {

    @Default("/q/health/ready")
    @Pattern(Patterns.HTTP_PATH)
    @Size(max = 255)
    @JsonPropertyDescription("HTTP path Route 53 probes; it must answer 2xx or 3xx while the region can take sessions.")
    public String path = "/q/health/ready";

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port Route 53 probes.")
    public int port = 8080;

    @Default("10")
    @JsonPropertyDescription("Seconds between probes: 10 (fast) or 30 (standard).")
    public int intervalSeconds = 10;

    @Default("3")
    @Min(1)
    @Max(10)
    @JsonPropertyDescription("Consecutive failed probes before Route 53 marks the region unhealthy (1 to 10).")
    public int failureThreshold = 3;
}
