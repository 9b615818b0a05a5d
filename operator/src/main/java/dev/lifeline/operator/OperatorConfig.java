package dev.lifeline.operator;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator-wide configuration ({@code lifeline.*} keys, or LIFELINE_* environment variables). */
@ConfigMapping(prefix = "lifeline")
public interface OperatorConfig {

    /** The AWS region this operator runs in; it reconciles only this region's workloads. */
    String region();

    /** Namespace of the operator itself, where its leader-election Lease lives. */
    @WithDefault("lifeline-system")
    String operatorNamespace();

    /** Name of the leader-election Lease; both replicas of one regional operator share it. */
    @WithDefault("lifeline-operator")
    String leaseName();

    /** What the operator adds to the pods it deploys (emulators and local runs; the IRSA role in production). */
    Workload workload();

    /** The REST API and status page. */
    Web web();

    interface Web {

        /**
         * How long a TokenReview or SubjectAccessReview answer is reused: a revoked token or
         * RoleBinding takes effect after at most this long; the page polls faster than this.
         */
        @WithDefault("10s")
        Duration reviewCacheTtl();

        /** How many answers of each kind are kept at most (callers × platforms × verbs). */
        @WithDefault("1000")
        int reviewCacheSize();
    }

    interface Workload {

        /** DynamoDB endpoint the media server uses ({@code LIFELINE_DYNAMODB_ENDPOINT}); empty: AWS's own. */
        Optional<String> dynamodbEndpoint();

        /**
         * A Secret in the platform's namespace whose keys become the pods' environment
         * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}); empty: the default chain (IRSA).
         */
        Optional<String> awsCredentialsSecret();

        /**
         * The IRSA role ARN of the media-server pods' own ServiceAccount ({@code <platform>-media-server});
         * env {@code LIFELINE_WORKLOAD_ROLE_ARN}, set by the Helm chart's {@code mediaServer.aws.roleArn}.
         */
        Optional<String> roleArn();
    }
}
