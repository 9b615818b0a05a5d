package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Restart budget for unhealthy pods. */
@ValidationRule(value = "self.backoffSeconds <= self.maxBackoffSeconds",
        message = "failover.restart.backoffSeconds must not exceed failover.restart.maxBackoffSeconds")
public class RestartSpec {

    @Default("5")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Restarts Lifeline may perform per component and region in any hour; when spent, the breaker opens. 0 disables restarts.")
    public int maxRestartsPerHour = 5;

    @Default("10")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Wait in seconds before the first restart; doubles with each further restart.")
    public int backoffSeconds = 10;

    @Default("300")
    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Upper bound in seconds of the doubling restart backoff.")
    public int maxBackoffSeconds = 300;
}
