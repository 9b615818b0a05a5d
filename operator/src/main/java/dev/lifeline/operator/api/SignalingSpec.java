package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The signaling (WebSocket) workload of each region. */
public class SignalingSpec {

    @Default(MediaServerSpec.DEFAULT_IMAGE)
    @Pattern(Patterns.IMAGE)
    @Size(max = 512)
    @JsonPropertyDescription("Container image of the signaling server (the media-server image in its signaling role).")
    public String image = MediaServerSpec.DEFAULT_IMAGE;

    @Default("{\"min\":2,\"max\":10}")
    @JsonPropertyDescription("Replica bounds per region.")
    public ReplicaRange replicas = new ReplicaRange(2, 10);

    @Default("8080")
    @Min(1024)
    @Max(65535)
    @JsonPropertyDescription("HTTP and WebSocket port of the signaling server (1024 to 65535); also serves the health endpoints.")
    public int port = 8080;

    @Default("{\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"},\"limits\":{\"cpu\":\"1\",\"memory\":\"512Mi\"}}")
    @JsonPropertyDescription("CPU and memory requests and limits of each signaling container.")
    public ComputeResources resources = new ComputeResources(new ResourceAmounts("250m", "256Mi"),
            new ResourceAmounts("1", "512Mi"));
}
