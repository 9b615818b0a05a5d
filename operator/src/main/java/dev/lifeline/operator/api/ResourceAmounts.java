package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;

/** An amount of CPU and memory. */
public class ResourceAmounts {

    @Pattern(Patterns.QUANTITY)
    @JsonPropertyDescription("CPU as a Kubernetes quantity, for example 500m or 2.")
    public String cpu;

    @Pattern(Patterns.QUANTITY)
    @JsonPropertyDescription("Memory as a Kubernetes quantity, for example 512Mi or 1Gi.")
    public String memory;

    public ResourceAmounts() {
    }

    public ResourceAmounts(String cpu, String memory) {
        this.cpu = cpu;
        this.memory = memory;
    }
}
