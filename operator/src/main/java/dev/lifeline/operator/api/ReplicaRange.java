package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds for a component's replica count in one region; pre-scaling stays within them. */
@ValidationRule(value = "self.min <= self.max", message = "replicas.min must be less than or equal to replicas.max")
public class ReplicaRange {

    @Required
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Replicas always running in each region (0 to 1000).")
    public int min;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Upper bound on replicas in each region; scaling never goes above it (1 to 1000).")
    public int max;

    public ReplicaRange() {
    }

    public ReplicaRange(int min, int max) {
        this.min = min;
        this.max = max;
    }
}
