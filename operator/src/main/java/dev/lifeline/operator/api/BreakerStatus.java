package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Persisted state of one circuit breaker, so that a restart or leader change keeps it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BreakerStatus {

    @JsonPropertyDescription("Component the breaker guards: mediaServer or signaling.")
    public String component;

    @JsonPropertyDescription("Closed, Open or HalfOpen.")
    public String state;

    @JsonPropertyDescription("When the breaker entered its current state (RFC 3339).")
    public String since;

    @JsonPropertyDescription("Good probes seen so far while half-open.")
    public Integer halfOpenSuccesses;
}
