package dev.lifeline.media.session;

/** An instance's periodic self-report; the operator and signaling both read it. */
public record InstanceHeartbeat(String role, String region, String instanceId, String address, int sessions,
                                int capacity, double packetsPerSecond, double lossRatio, double eventLoopLagMillis,
                                boolean ready, boolean draining, long updatedAtMillis) {

    public static final String MEDIA = "media";
    public static final String SIGNALING = "signaling";

    /** Load as a fraction of capacity; 1 or more means full. */
    public double load() {
        return capacity <= 0 ? 1.0 : (double) sessions / capacity;
    }
}
