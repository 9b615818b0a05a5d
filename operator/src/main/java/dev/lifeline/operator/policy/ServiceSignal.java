package dev.lifeline.operator.policy;

/**
 * What one independent signal says about a region's service (its media relays and signaling), as seen from outside
 * the region's operator.
 */
public enum ServiceSignal {
    /** The signal shows the service alive: a fresh instance heartbeat, a Route 53 check passing, a probe answered. */
    ANSWERS,
    /** The signal was read and shows the service gone: no fresh heartbeat, the check failing, no probe answered. */
    SILENT,
    /** No reading: the table or Route 53 could not be read, the check has no verdict, nothing could be probed. */
    UNKNOWN;

    /** A signal from a reading that may be missing: {@code null} is {@link #UNKNOWN}. */
    public static ServiceSignal of(Boolean answers) {
        if (answers == null) {
            return UNKNOWN;
        }
        return answers ? ANSWERS : SILENT;
    }
}
