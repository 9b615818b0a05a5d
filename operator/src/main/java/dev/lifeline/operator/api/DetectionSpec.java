package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The failure detector that judges the peers' operator heartbeats (phi-accrual over their arrivals as each region
 * observes them), and the sub-second heartbeats it listens to. A suspicion only starts the checks of the suspected
 * region's data plane; a drain still needs a quorum of regions and that region's service gone.
 */
public class DetectionSpec {

    @Default("500")
    @Min(100)
    @Max(10000)
    @JsonPropertyDescription("Milliseconds between the heartbeats each operator writes for its region between its "
            + "self-healing steps, and between its relays' instance heartbeats (100 to 10000). Each region reads its "
            + "peers' heartbeats at this interval too. Cost: 3600000 / this writes per hour per region and platform, "
            + "for the operator and for each relay.")
    public int heartbeatIntervalMillis = 500;

    @Default("8")
    @Min(1)
    @Max(16)
    @JsonPropertyDescription("Suspicion level (phi) at which a peer's operator is suspected (1 to 16): phi 8 means a "
            + "silence that long would happen once in 10^8 heartbeats of a live peer, given the arrivals seen so far. "
            + "Lower suspects sooner (more data-plane checks), higher later.")
    public double phiThreshold = 8;
}
