package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One region of the platform. */
public class RegionSpec {

    @Required
    @Pattern(Patterns.AWS_REGION)
    @Size(max = 32)
    @JsonPropertyDescription("AWS region name, for example us-east-1 or eu-west-1. Also the Route 53 SetIdentifier of this region's record.")
    public String name;

    @Default("100")
    @Min(0)
    @Max(255)
    @JsonPropertyDescription("Share of DNS answers this region gets while healthy (0 to 255, Route 53 weighted routing). 0 = no traffic.")
    public int weight = 100;

    @Pattern(Patterns.DNS_TARGET)
    @Size(max = 253)
    @JsonPropertyDescription("Optional DNS target for this region (host name or IPv4 address). Default: the load-balancer address of "
            + "the region's signaling Service.")
    public String endpoint;

    @Default("false")
    @JsonPropertyDescription("true drains this region declaratively (manual failover): its DNS weight goes to 0 after the other "
            + "regions have scaled up to absorb its sessions. Lifeline never drains the last serving region.")
    public boolean drain = false;

    public RegionSpec() {
    }

    public RegionSpec(String name, int weight) {
        this.name = name;
        this.weight = weight;
    }
}
