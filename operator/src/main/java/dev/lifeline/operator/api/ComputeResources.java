package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.ValidationRule;

/** CPU and memory requests and limits of a container, as Kubernetes quantities. */
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.cpu) || !has(self.limits.cpu)"
        + " || quantity(self.requests.cpu).compareTo(quantity(self.limits.cpu)) <= 0",
        message = "resources.requests.cpu must not exceed resources.limits.cpu")
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.memory) || !has(self.limits.memory)"
        + " || quantity(self.requests.memory).compareTo(quantity(self.limits.memory)) <= 0",
        message = "resources.requests.memory must not exceed resources.limits.memory")
public class ComputeResources {

    @JsonPropertyDescription("Resources the scheduler reserves for each container.")
    public ResourceAmounts requests;

    @JsonPropertyDescription("Upper bounds for each container; memory above the limit gets the container OOM-killed.")
    public ResourceAmounts limits;

    public ComputeResources() {
    }

    public ComputeResources(ResourceAmounts requests, ResourceAmounts limits) {
        this.requests = requests;
        this.limits = limits;
    }
}
