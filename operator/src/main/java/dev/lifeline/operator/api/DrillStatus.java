package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest failover drill of this region and the times it measured. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DrillStatus {

    @JsonPropertyDescription("The drill's id: the value of the lifeline.dev/drill annotation that started it.")
    public String id;

    @JsonPropertyDescription("The region drained on purpose (the region of the operator that ran the drill).")
    public String region;

    @JsonPropertyDescription("Draining, Restoring, Completed or Refused.")
    public String phase;

    @JsonPropertyDescription("When the drill started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("Seconds the region stays drained before its weight is restored in steps.")
    public Integer holdSeconds;

    @JsonPropertyDescription("Milliseconds from the start to Route 53 accepting the drain (after the survivors' pre-scale).")
    public Long drainSubmittedMillis;

    @JsonPropertyDescription("Milliseconds from the start to the drain being INSYNC in Route 53.")
    public Long drainInSyncMillis;

    @JsonPropertyDescription("Milliseconds from the start to the region serving at its full weight again.")
    public Long restoredMillis;

    @JsonPropertyDescription("What happened, for a person.")
    public String message;

    public DrillStatus copy() {
        DrillStatus c = new DrillStatus();
        c.id = id;
        c.region = region;
        c.phase = phase;
        c.startedAt = startedAt;
        c.holdSeconds = holdSeconds;
        c.drainSubmittedMillis = drainSubmittedMillis;
        c.drainInSyncMillis = drainInSyncMillis;
        c.restoredMillis = restoredMillis;
        c.message = message;
        return c;
    }
}
