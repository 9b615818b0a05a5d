package dev.lifeline.sessiontable;

import java.time.Instant;
import java.util.Objects;

/**
 * A media-server instance's periodic self-report (item pk=INSTANCE#&lt;region&gt;,
 * sk=&lt;role&gt;#&lt;instanceId&gt;, written by the instance every second or so). Signaling reads it to
 * pick relays, the operator to know its region's load. In Kubernetes the instance id is the pod name
 * (LIFELINE_INSTANCE_ID from the downward API).
 *
 * @param role {@link #MEDIA} or {@link #SIGNALING}
 * @param address host:port clients reach the instance at, or {@code null} if not reported
 * @param sessions sessions the instance carries (media: relayed sessions; signaling: connected participants)
 * @param capacity sessions it accepts before it reports itself full
 * @param packetsPerSecond relayed packets per second, or {@code null} if not reported
 * @param lossRatio packet loss ratio, or {@code null} if not reported
 * @param eventLoopLagMillis event-loop lag, or {@code null} if not reported
 * @param ready the instance takes new sessions (false while starting, full, overloaded or draining)
 * @param draining the instance is moving its sessions away before it exits
 * @param updatedAt when the instance wrote the heartbeat (its own clock; millisecond precision in the table)
 */
public record InstanceHeartbeat(String role, String region, String instanceId, String address, long sessions,
        long capacity, Double packetsPerSecond, Double lossRatio, Double eventLoopLagMillis, boolean ready,
        boolean draining, Instant updatedAt) {

    /** The role of the media-server Deployment's pods (the UDP relays). */
    public static final String MEDIA = "media";
    public static final String SIGNALING = "signaling";

    public InstanceHeartbeat {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A media relay's heartbeat with only what the operator decides on; for tests and local runs. */
    public static InstanceHeartbeat media(String region, String instanceId, long sessions, long capacity,
            boolean ready, boolean draining, Instant updatedAt) {
        return new InstanceHeartbeat(MEDIA, region, instanceId, null, sessions, capacity, null, null, null, ready,
                draining, updatedAt);
    }

    /** {@link #updatedAt} in epoch milliseconds, as the table stores it and relay selection compares it. */
    public long updatedAtMillis() {
        return updatedAt.toEpochMilli();
    }
}
