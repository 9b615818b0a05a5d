package dev.lifeline.operator.workload;

/** The two workloads Lifeline runs per region, both from the media-server image. */
public enum Component {
    MEDIA_SERVER("media-server", "media"),
    SIGNALING("signaling", "signaling");

    /** Value of app.kubernetes.io/component, also the suffix of resource names. */
    public final String label;
    /** The role the media-server process takes (LIFELINE_ROLE). */
    public final String role;

    Component(String label, String role) {
        this.label = label;
        this.role = role;
    }

    /** Name of this component's Deployment, Service and PodDisruptionBudget for a platform. */
    public String resourceName(String platformName) {
        return platformName + "-" + label;
    }
}
