package dev.lifeline.media;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of this instance in its configured role (signaling or media). */
@Readiness
@ApplicationScoped
public class RoleReadiness implements HealthCheck {

    @ConfigProperty(name = "lifeline.role", defaultValue = "media")
    String role;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("role").up().withData("role", role).build();
    }
}
