package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The media-server (UDP relay) workload of each region. */
public class MediaServerSpec {
    public static final String DEFAULT_IMAGE = "ghcr.io/lifeline/media-server:0.1.0";

    @Default(DEFAULT_IMAGE)
    @Pattern(Patterns.IMAGE)
    @Size(max = 512)
    @JsonPropertyDescription("Container image of the media server, for example ghcr.io/lifeline/media-server:0.1.0.")
    public String image = DEFAULT_IMAGE;

    @Default("{\"min\":2,\"max\":20}")
    @JsonPropertyDescription("Replica bounds per region. Lifeline scales between min and max when it pre-scales for failover.")
    public ReplicaRange replicas = new ReplicaRange(2, 20);

    @Default("500")
    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Concurrent sessions one replica carries at full load; pre-scaling divides expected sessions by it.")
    public int sessionsPerReplica = 500;

    @Default("40000")
    @Min(1024)
    @Max(65535)
    @JsonPropertyDescription("UDP port media packets are relayed on (1024 to 65535).")
    public int udpPort = 40000;

    @Default("{\"requests\":{\"cpu\":\"500m\",\"memory\":\"512Mi\"},\"limits\":{\"cpu\":\"2\",\"memory\":\"1Gi\"}}")
    @JsonPropertyDescription("CPU and memory requests and limits of each media-server container.")
    public ComputeResources resources = new ComputeResources(new ResourceAmounts("500m", "512Mi"),
            new ResourceAmounts("2", "1Gi"));
}
