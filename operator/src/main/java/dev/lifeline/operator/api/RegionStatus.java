package dev.lifeline.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What this operator knows about one region. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegionStatus {

    @JsonPropertyDescription("Region name.")
    public String name;

    @JsonPropertyDescription("Healthy, Degraded, Down or Unknown.")
    public String health;

    @JsonPropertyDescription("Circuit breaker per component (mediaServer, signaling).")
    public List<BreakerStatus> breakers = new ArrayList<>();

    @JsonPropertyDescription("Current Route 53 weight of the region's record.")
    public Integer dnsWeight;

    @JsonPropertyDescription("Ready media-server replicas (known for the local region, from heartbeats for peers).")
    public Integer readyReplicas;

    @JsonPropertyDescription("Active sessions in the region.")
    public Long activeSessions;

    @JsonPropertyDescription("Sessions the region can carry at its current replica count.")
    public Long capacity;

    @JsonPropertyDescription("Time of the region operator's latest heartbeat (RFC 3339).")
    public String lastHeartbeat;
}
