package dev.lifeline.operator.policy;

import java.util.Objects;

/**
 * What a media relay said about itself in its latest fresh instance heartbeat, as far as the engine judges it.
 *
 * @param busy full or draining, as its heartbeat says ({@link Busy#NO} otherwise)
 * @param lossRatio its packet loss ratio (0..1), or {@code null} if not reported
 * @param eventLoopLagMillis its event-loop lag, or {@code null} if not reported
 */
public record RelayReport(Busy busy, Double lossRatio, Double eventLoopLagMillis) {

    /** No fresh heartbeat, or nothing in it: judged by its readiness alone. */
    public static final RelayReport NONE = new RelayReport(Busy.NO, null, null);

    public RelayReport {
        Objects.requireNonNull(busy, "busy");
    }

    public static RelayReport of(Busy busy) {
        return new RelayReport(busy, null, null);
    }

    /** Lossier than {@code threshold} (0..1). */
    boolean lossy(double threshold) {
        return lossRatio != null && lossRatio > threshold;
    }

    /** Its event loop lags more than {@code thresholdMillis}. */
    boolean overloaded(double thresholdMillis) {
        return eventLoopLagMillis != null && eventLoopLagMillis > thresholdMillis;
    }
}
