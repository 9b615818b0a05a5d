package dev.lifeline.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The session table as last seen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionStoreStatus {

    @JsonPropertyDescription("ARN of the table.")
    public String tableArn;

    @JsonPropertyDescription("DynamoDB table status, for example ACTIVE or UPDATING.")
    public String tableStatus;

    @JsonPropertyDescription("Each replica of the global table and its status.")
    public List<ReplicaStatus> replicas = new ArrayList<>();

    /** One replica of the global table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ReplicaStatus {
        @JsonPropertyDescription("Region of the replica.")
        public String region;

        @JsonPropertyDescription("Replica status, for example ACTIVE, CREATING or DELETING.")
        public String status;
    }
}
