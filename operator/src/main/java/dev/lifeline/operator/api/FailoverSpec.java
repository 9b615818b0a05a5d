package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Failure detection and remediation policy. */
@ValidationRule(value = "!has(self.detection) || !has(self.detection.heartbeatIntervalMillis) "
        + "|| self.detection.heartbeatIntervalMillis * 2 <= self.staleAfterSeconds * 1000",
        message = "failover.detection.heartbeatIntervalMillis must be at most half of failover.staleAfterSeconds "
                + "(in milliseconds): lower the interval or raise staleAfterSeconds")
@ValidationRule(value = "self.staleAfterSeconds > self.heartbeatIntervalSeconds",
        message = "failover.staleAfterSeconds must be greater than failover.heartbeatIntervalSeconds, "
                + "otherwise every heartbeat looks stale before the next one is due")
public class FailoverSpec {

    public enum Quorum { Majority, All }

    @Default("2")
    @Min(1)
    @Max(60)
    @JsonPropertyDescription("Seconds between the self-healing steps of each operator (breaker samples, decisions; "
            + "1 to 60); each step also writes its region's heartbeat. Between steps, heartbeats come every "
            + "detection.heartbeatIntervalMillis.")
    public int heartbeatIntervalSeconds = 2;

    @Default("6")
    @Min(2)
    @Max(600)
    @JsonPropertyDescription("A region whose heartbeat is older than this many seconds counts as silent (must exceed "
            + "heartbeatIntervalSeconds): a silent operator whose service answers is reported (ControlPlaneSilent), "
            + "and a fresh process, whose failure detector has no history yet, judges peers by this alone.")
    public int staleAfterSeconds = 6;

    @Default("Majority")
    @JsonPropertyDescription("How many live regions must agree that a peer's operator is silent before it may be drained: Majority or All. A peer is drained only when its service is down too (its instances' heartbeats, Route 53's health check, the peers' direct probes).")
    public Quorum quorum = Quorum.Majority;

    @Default("{}")
    @JsonPropertyDescription("The failure detector on the peers' operator heartbeats (phi-accrual, sub-second "
            + "heartbeats): a suspected peer's data plane is checked at once, and it is drained as soon as a quorum "
            + "suspects it and its service is gone, without waiting for staleAfterSeconds. staleAfterSeconds still "
            + "decides when a silent operator whose service answers is reported (ControlPlaneSilent).")
    public DetectionSpec detection = new DetectionSpec();

    @Default("{}")
    @JsonPropertyDescription("Circuit breaker per region and component that opens on a high failure rate.")
    public CircuitBreakerSpec circuitBreaker = new CircuitBreakerSpec();

    @Default("{}")
    @JsonPropertyDescription("Restart budget and backoff for crash-looping or unready pods.")
    public RestartSpec restart = new RestartSpec();

    @Default("{}")
    @JsonPropertyDescription("Scaling ahead of failover and ahead of forecast demand.")
    public PreScaleSpec preScale = new PreScaleSpec();

    @Default("{}")
    @JsonPropertyDescription("How traffic leaves a failed region and comes back after recovery.")
    public RerouteSpec reroute = new RerouteSpec();

    @Default("{}")
    @JsonPropertyDescription("Thresholds on the media relays' packet loss and event-loop lag from their heartbeats: "
            + "sustained loss is a failure, sustained lag asks for more replicas.")
    public RelayHealthSpec relayHealth = new RelayHealthSpec();
}
