package dev.lifeline.operator.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How suspect a peer's operator heartbeat is to this region's phi-accrual detector ({@link PhiAccrualDetector}), at
 * the moment the observations were gathered.
 *
 * @param phi the suspicion level
 * @param threshold the level from which the peer is suspected ({@code spec.failover.detection.phiThreshold})
 * @param silentFor since when no new heartbeat of the peer arrived here
 */
public record Suspicion(double phi, double threshold, Duration silentFor) {

    public Suspicion {
        Objects.requireNonNull(silentFor, "silentFor");
    }

    public boolean suspected() {
        return phi >= threshold;
    }

    /** The words for a reason, e.g. "phi 9.2 >= 8 after 1.3 s without a heartbeat". */
    public String describe() {
        return String.format(Locale.ROOT, "phi %.1f %s %s after %.1f s without a heartbeat", phi,
                suspected() ? ">=" : "<", thresholdWords(), silentFor.toMillis() / 1000.0);
    }

    private String thresholdWords() {
        return threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold);
    }
}
