package dev.lifeline.operator.status;

/** Values of status.regions[].health. */
public final class RegionHealth {
    public static final String HEALTHY = "Healthy";
    public static final String DEGRADED = "Degraded";
    public static final String DOWN = "Down";
    public static final String UNKNOWN = "Unknown";

    private RegionHealth() {
    }
}
