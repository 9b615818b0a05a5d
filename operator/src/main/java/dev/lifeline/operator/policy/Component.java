package dev.lifeline.operator.policy;

/** The components of a region that have their own circuit breaker and restart budget. */
public enum Component {
    MEDIA_SERVER("mediaServer"),
    SIGNALING("signaling");

    private final String statusName;

    Component(String statusName) {
        this.statusName = statusName;
    }

    /** The name used in the CR status ({@code BreakerStatus.component}), in history entries and Events. */
    public String statusName() {
        return statusName;
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
