package dev.lifeline.operator;

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
}
