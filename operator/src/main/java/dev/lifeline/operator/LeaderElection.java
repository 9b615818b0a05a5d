package dev.lifeline.operator;

import java.time.Duration;

import dev.lifeline.operator.api.FailoverSpec;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Leader election for the operator's two replicas (active in the prod profile, see application.properties): only
 * the Lease holder reconciles, the other takes over on failure, fast enough that no peer region sees this region's
 * heartbeat stale ({@link LeaderElectionTimings}, checked at start-up). A leader that loses its Lease stops, and one
 * that is shut down hands the Lease over at once ({@link Leadership}).
 */
public class LeaderElection {

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElection(OperatorConfig config, Leadership leadership) {
        LeaderElectionTimings timings = timings(config.leaderElection()).requireConsistent();
        // exitOnStopLeading false: java-operator-sdk would call System.exit from the shutdown hook on a normal
        // shutdown and deadlock there (operator-framework/java-operator-sdk#1614); Leadership stops a replica that
        // lost its Lease itself.
        return new LeaderElectionConfiguration(config.leaseName(), config.operatorNamespace(), timings.leaseDuration(),
                timings.renewDeadline(), timings.retryPeriod(), leadership.identity(), leadership.callbacks(), false);
    }

    static LeaderElectionTimings timings(OperatorConfig.LeaseSettings settings) {
        return new LeaderElectionTimings(settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod());
    }

    /**
     * How long a takeover may take under the default {@code spec.failover}: the peers call a heartbeat stale after
     * {@code staleAfterSeconds}, and the dead leader's last heartbeat may be one {@code heartbeatIntervalSeconds} old.
     */
    static Duration defaultFailoverBudget() {
        FailoverSpec defaults = new FailoverSpec();
        return Duration.ofSeconds(defaults.staleAfterSeconds - defaults.heartbeatIntervalSeconds);
    }
}
