package dev.lifeline.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** Observed state of a {@link RealtimePlatform}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RealtimePlatformStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, WorkloadsAvailable, SessionStoreReady, DnsReady, RegionsHealthy and Degraded, each with a reason "
            + "and a message; lastTransitionTime changes only when a condition's status changes.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Healthy regions out of all regions, for example 2/3.")
    public String healthyRegions;

    @JsonPropertyDescription("Active sessions across all regions, from the latest heartbeats.")
    public Long activeSessions;

    @JsonPropertyDescription("Per-region health, breaker states, DNS weight, replicas and sessions.")
    public List<RegionStatus> regions = new ArrayList<>();

    @JsonPropertyDescription("The session table and its replicas.")
    public SessionStoreStatus sessionStore;

    @JsonPropertyDescription("This region's Route 53 record and health check.")
    public DnsStatus dns;

    @JsonPropertyDescription("The most recent remediation decisions, newest last (bounded).")
    public List<HistoryEntry> history = new ArrayList<>();

    @JsonPropertyDescription("The latest failover drill (annotation lifeline.dev/drill) and its measured times.")
    public DrillStatus drill;
}
