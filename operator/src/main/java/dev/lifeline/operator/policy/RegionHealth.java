package dev.lifeline.operator.policy;

/** A region's health as the engine judges it, with the spelling of {@code status.regions[].health}. */
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
