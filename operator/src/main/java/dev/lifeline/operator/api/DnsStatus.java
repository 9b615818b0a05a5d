package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** This region's Route 53 record and health check. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsStatus {

    @JsonPropertyDescription("Record name and SetIdentifier this operator owns.")
    public String record;

    @JsonPropertyDescription("Id of the Route 53 health check this operator created.")
    public String healthCheckId;

    @JsonPropertyDescription("Id of the latest change not yet INSYNC; empty when all changes are live.")
    public String pendingChangeId;
}
