package dev.lifeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The DynamoDB global table holding sessions, heartbeats and coordination items. */
@ValidationRule(value = "self.billingMode != 'Provisioned' || (has(self.readCapacityUnits) && has(self.writeCapacityUnits))",
        message = "sessionStore: billingMode Provisioned needs readCapacityUnits and writeCapacityUnits")
public class SessionStoreSpec {

    public enum BillingMode { PayPerRequest, Provisioned }

    public enum DeletionPolicy { Retain, Delete }

    @Required
    @Pattern(Patterns.TABLE_NAME)
    @JsonPropertyDescription("DynamoDB table name: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.")
    public String tableName;

    @Required
    @Pattern(Patterns.AWS_REGION)
    @Size(max = 32)
    @JsonPropertyDescription("The region whose operator creates the table and adds or removes replicas; must be one of spec.regions. "
            + "Operators in other regions only verify and report.")
    public String homeRegion;

    @Default("PayPerRequest")
    @JsonPropertyDescription("PayPerRequest (on-demand) or Provisioned (then set readCapacityUnits and writeCapacityUnits).")
    public BillingMode billingMode = BillingMode.PayPerRequest;

    @Min(1)
    @JsonPropertyDescription("Read capacity units, only with billingMode Provisioned.")
    public Long readCapacityUnits;

    @Min(1)
    @JsonPropertyDescription("Write capacity units, only with billingMode Provisioned.")
    public Long writeCapacityUnits;

    @Default("true")
    @JsonPropertyDescription("Point-in-time recovery (continuous backups) on the table.")
    public boolean pointInTimeRecovery = true;

    @Default("true")
    @JsonPropertyDescription("DynamoDB deletion protection on the table, so nobody deletes it by accident.")
    public boolean deletionProtection = true;

    @Default("Retain")
    @JsonPropertyDescription("What happens to the table and its replicas when this resource is deleted or a region is removed: "
            + "Retain (default) keeps them and their data; Delete removes them.")
    public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;
}
