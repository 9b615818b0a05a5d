package dev.lifeline.operator.api;

import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * The two workloads of a platform in a region, both run from the media-server image
 * ({@code spec.mediaServer}, {@code spec.signaling}). Each has its own Deployment, circuit breaker
 * and restart budget, and is spelled three ways, each for one reader.
 */
public enum Component {
    MEDIA_SERVER("mediaServer", "media-server", InstanceHeartbeat.MEDIA),
    SIGNALING("signaling", "signaling", InstanceHeartbeat.SIGNALING);

    private final String statusName;
    private final String label;
    private final String role;

    Component(String statusName, String label, String role) {
        this.statusName = statusName;
        this.label = label;
        this.role = role;
    }

    /** The name in the CR status ({@code BreakerStatus.component}), in history entries and Events. */
    public String statusName() {
        return statusName;
    }

    /** Value of {@code app.kubernetes.io/component}, also the suffix of resource names. */
    public String label() {
        return label;
    }

    /** The role the media-server process takes ({@code LIFELINE_ROLE}), as its instance heartbeats name it. */
    public String role() {
        return role;
    }

    /** Name of this component's Deployment, Service and PodDisruptionBudget for a platform. */
    public String resourceName(String platformName) {
        return platformName + "-" + label;
    }

    /** The component with this status name, or {@code null} if there is none (lenient for old status). */
    public static Component fromStatusName(String name) {
        for (Component c : values()) {
            if (c.statusName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return statusName;
    }
}
