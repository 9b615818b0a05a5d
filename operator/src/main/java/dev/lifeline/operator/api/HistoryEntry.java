package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One remediation decision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {

    @JsonPropertyDescription("When the decision was taken (RFC 3339).")
    public String time;

    @JsonPropertyDescription("What was decided: Restart, Drain, Restore, PreScale, ...")
    public String action;

    @JsonPropertyDescription("Region the decision is about.")
    public String region;

    @JsonPropertyDescription("Component the decision is about, if any.")
    public String component;

    @JsonPropertyDescription("Why, in words a person can act on.")
    public String reason;

    @JsonPropertyDescription("Applied, DryRun, Skipped, Unchanged, Recorded, Blocked (a restart's eviction refused by a PodDisruptionBudget) or Failed.")
    public String outcome;

    @JsonPropertyDescription("How long carrying it out took, in milliseconds.")
    public Long durationMillis;

    /** One line, for logs and assertion messages. */
    @Override
    public String toString() {
        return time + " " + action + " " + region + (component == null ? "" : "/" + component) + " " + outcome + ": "
                + reason;
    }
}
