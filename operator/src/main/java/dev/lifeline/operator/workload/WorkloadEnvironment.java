package dev.lifeline.operator.workload;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the operator's own configuration adds to the pods it deploys, for emulators and local
 * runs ({@code lifeline.workload.*}, see {@link dev.lifeline.operator.OperatorConfig.Workload}).
 * Both unset in production: the media server then uses AWS's own DynamoDB endpoint and the
 * default credential chain (IRSA).
 *
 * @param dynamodbEndpoint   handed to the pods as {@code LIFELINE_DYNAMODB_ENDPOINT}
 * @param credentialsSecret  a Secret in the platform's namespace whose keys become the pods'
 *                           environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY})
 * @param roleArn            the IRSA role of the pods' own ServiceAccount ({@link WorkloadServiceAccountDependent});
 *                           set in production on EKS, by the Helm chart's {@code mediaServer.aws.roleArn}
 */
public record WorkloadEnvironment(Optional<String> dynamodbEndpoint, Optional<String> credentialsSecret,
        Optional<String> roleArn) {

    public static final String DYNAMODB_ENDPOINT_KEY = "lifeline.workload.dynamodb-endpoint";
    public static final String CREDENTIALS_SECRET_KEY = "lifeline.workload.aws-credentials-secret";
    public static final String ROLE_ARN_KEY = "lifeline.workload.role-arn";
    /** Nothing added: the default credential chain without IRSA. */
    public static final WorkloadEnvironment NONE = new WorkloadEnvironment(Optional.empty(), Optional.empty());

    public WorkloadEnvironment {
        dynamodbEndpoint = dynamodbEndpoint.filter(s -> !s.isBlank());
        credentialsSecret = credentialsSecret.filter(s -> !s.isBlank());
        roleArn = roleArn.filter(s -> !s.isBlank());
    }

    /** Emulators and local runs: no IRSA role. */
    public WorkloadEnvironment(Optional<String> dynamodbEndpoint, Optional<String> credentialsSecret) {
        this(dynamodbEndpoint, credentialsSecret, Optional.empty());
    }

    /**
     * The operator's configuration, for code that JOSDK instantiates itself (like
     * {@link dev.lifeline.operator.OperatorRegion}); {@link #NONE} where no configuration is set.
     */
    public static WorkloadEnvironment current() {
        var config = ConfigProvider.getConfig();
        return new WorkloadEnvironment(config.getOptionalValue(DYNAMODB_ENDPOINT_KEY, String.class),
                config.getOptionalValue(CREDENTIALS_SECRET_KEY, String.class),
                config.getOptionalValue(ROLE_ARN_KEY, String.class));
    }
}
