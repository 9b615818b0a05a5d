package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Route 53 routing of users to regions. */
public class DnsSpec {

    public enum RoutingPolicy { Weighted, Latency, Failover }

    @Required
    @Pattern(Patterns.HOSTED_ZONE_ID)
    @JsonPropertyDescription("Route 53 hosted zone id that holds recordName, for example Z0123456789ABCDEFGHIJ.")
    public String hostedZoneId;

    @Required
    @Pattern(Patterns.DNS_NAME)
    @Size(max = 253)
    @JsonPropertyDescription("DNS name users connect to, for example media.example.com. Each region owns one record of this "
            + "name (SetIdentifier = region name).")
    public String recordName;

    @Default("Weighted")
    @JsonPropertyDescription("Route 53 routing policy of the records: Weighted (regions[].weight), Latency (nearest healthy region) "
            + "or Failover (first region primary, the others secondary).")
    public RoutingPolicy routingPolicy = RoutingPolicy.Weighted;

    @Default("30")
    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("TTL of the records in seconds (1 to 86400). Lower means faster failover and more DNS queries.")
    public int ttlSeconds = 30;

    @Default("{}")
    @JsonPropertyDescription("The Route 53 health check each region's record is tied to.")
    public HealthCheckSpec healthCheck = new HealthCheckSpec();
}
