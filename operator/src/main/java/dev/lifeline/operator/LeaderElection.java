package dev.lifeline.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Leader election for the operator's two replicas (active in the prod profile, see
 * application.properties): only the Lease holder reconciles, the other takes over on failure.
 */
public class LeaderElection {

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return new LeaderElectionConfiguration(config.leaseName(), config.operatorNamespace());
    }
}
