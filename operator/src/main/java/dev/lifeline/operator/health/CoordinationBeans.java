package dev.lifeline.operator.health;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.ProviderConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The coordination store lives where the session table lives ({@code lifeline.session-store.provider}). */
public class CoordinationBeans {

    @Produces
    @Singleton
    CoordinationStore coordinationStore(ProviderConfig.SessionStore config, AwsClients clients, AwsCallPolicy policy) {
        return switch (config.provider()) {
            case dynamodb -> new DynamoDbCoordinationStore(clients, policy);
            case inmemory -> new InMemoryCoordinationStore();
        };
    }
}
