package dev.lifeline.operator.policy;

/**
 * Why a relay that is not ready is busy, not broken, as its own instance heartbeat says (the session-table contract:
 * {@code ready} false while full or draining, {@code draining} true while it moves its sessions away). A busy relay
 * is never restarted and never makes a bad breaker sample; a full one asks for more replicas.
 */
public enum Busy {
    /** Not busy (ready, or unready for another reason, or no fresh heartbeat). */
    NO,
    /** It carries as many sessions as its capacity: readiness false because it is full. */
    FULL,
    /** It is draining: readiness false until its sessions have moved, up to the drain deadline. */
    DRAINING;

    /** From a relay's latest fresh heartbeat. */
    public static Busy of(boolean ready, boolean draining, long sessions, long capacity) {
        if (draining) {
            return DRAINING;
        }
        if (!ready && capacity > 0 && sessions >= capacity) {
            return FULL;
        }
        return NO;
    }
}
