package dev.lifeline.media.instance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means: give me new sessions. Not while draining, not while overloaded. */
@Readiness
@ApplicationScoped
public class LoadReadiness implements HealthCheck {

    @Inject
    InstanceLifecycle lifecycle;
    @Inject
    LifelineConfig config;

    @Override
    public HealthCheckResponse call() {
        RoleStats role = lifecycle.role();
        return HealthCheckResponse.named("load")
                .status(lifecycle.ready())
                .withData("role", config.role())
                .withData("draining", lifecycle.draining())
                .withData("overloaded", lifecycle.overloaded())
                .withData("sessions", role == null ? 0 : role.sessions())
                .withData("capacity", role == null ? 0 : role.capacity())
                .build();
    }
}
