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

    /** How fast a standby replica takes over from a leader that died (see {@link LeaderElectionTimings}). */
    LeaseSettings leaderElection();

    interface LeaseSettings {

        /**
         * How long a Lease not renewed still counts as held. With the retry period it bounds the takeover after a
         * SIGKILL; it must fit, with one reconcile, inside the default {@code spec.failover} stale-after minus one
         * heartbeat interval (6 s - 2 s), so that no peer ever sees the region's heartbeat stale.
         */
        @WithDefault("2s")
        Duration leaseDuration();

        /** How long the leader keeps failing to renew before it gives up and exits (shorter than the lease duration). */
        @WithDefault("1500ms")
        Duration renewDeadline();

        /** How often the leader renews and a standby tries to acquire (a standby waits up to 2.2 times this). */
        @WithDefault("400ms")
        Duration retryPeriod();

        /**
         * This replica's name in the Lease ({@code holderIdentity}); empty: the pod name ({@code HOSTNAME}) and a
         * random suffix, so that a restarted container is a new candidate, as in client-go.
         */
        Optional<String> identity();
    }

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
