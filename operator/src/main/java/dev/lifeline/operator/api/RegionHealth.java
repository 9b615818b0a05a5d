package dev.lifeline.operator.api;

/** A region's health as the decision engine judges it; {@link #statusName()} is the value of {@code status.regions[].health}. */
public enum RegionHealth {
    HEALTHY("Healthy"), DEGRADED("Degraded"), DOWN("Down"), UNKNOWN("Unknown");

    private final String statusName;

    RegionHealth(String statusName) {
        this.statusName = statusName;
    }

    public String statusName() {
        return statusName;
    }

    @Override
    public String toString() {
        return statusName;
    }
}
