package dev.lifeline.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a {@link RealtimePlatform}. Cross-field rules are CEL, checked by the API server. */
@ValidationRule(value = "self.regions.all(r, self.regions.filter(s, s.name == r.name).size() == 1)",
        message = "spec.regions: region names must be unique; give every entry a different name",
        fieldPath = ".regions")
@ValidationRule(value = "self.regions.exists(r, r.weight > 0)",
        message = "spec.regions: at least one region needs weight > 0, otherwise no region receives traffic",
        fieldPath = ".regions")
@ValidationRule(value = "self.regions.exists(r, r.weight > 0 && !r.drain)",
        message = "spec.regions: at least one region with weight > 0 must have drain: false; draining every region would leave no region serving",
        fieldPath = ".regions")
@ValidationRule(value = "self.regions.exists(r, r.name == self.sessionStore.homeRegion)",
        message = "spec.sessionStore.homeRegion must be one of the names in spec.regions",
        fieldPath = ".sessionStore.homeRegion")
public class RealtimePlatformSpec {

    @Required
    @Size(min = 1, max = 10)
    @JsonPropertyDescription("Every AWS region the platform runs in (1 to 10, unique names). Apply the same resource "
            + "in each region's cluster; each region's Lifeline operator deploys the workloads of its own region.")
    public List<RegionSpec> regions = new ArrayList<>();

    @Default("{}")
    @JsonPropertyDescription("The media-server workload: the UDP relay that forwards media among a session's participants.")
    public MediaServerSpec mediaServer = new MediaServerSpec();

    @Default("{}")
    @JsonPropertyDescription("The signaling workload: the WebSocket endpoint clients join, leave and resume sessions through.")
    public SignalingSpec signaling = new SignalingSpec();

    @Required
    @JsonPropertyDescription("The DynamoDB global table holding session state and the operators' coordination items.")
    public SessionStoreSpec sessionStore = new SessionStoreSpec();

    @Required
    @JsonPropertyDescription("The Route 53 records that route users to healthy regions.")
    public DnsSpec dns = new DnsSpec();

    @Default("{}")
    @JsonPropertyDescription("When and how Lifeline detects failures and reroutes, restarts and pre-scales.")
    public FailoverSpec failover = new FailoverSpec();

    @Default("false")
    @JsonPropertyDescription("true stops all remediation (no restarts, reroutes or scaling); workloads are still reconciled.")
    public boolean paused = false;

    @Default("false")
    @JsonPropertyDescription("true records every remediation decision in status.history and Events without carrying it out.")
    public boolean dryRun = false;
}
