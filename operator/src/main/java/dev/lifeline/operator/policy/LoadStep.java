package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 6, load: what pre-scale plans from — the local sessions now, their forecast ({@link HoltForecast}), and each
 * peer's peak sessions over the scale-down window ({@link PeerPeak}).
 */
final class LoadStep {

    /**
     * @param own the local sessions now
     * @param forecast the local sessions forecast, {@code null} until the first reading
     * @param peerPeaks each peer's most sessions over the scale-down window
     */
    record Load(LocalSessions own, HoltForecast forecast, Map<String, PeerPeak> peerPeaks) {
        Load {
            peerPeaks = Collections.unmodifiableMap(new LinkedHashMap<>(peerPeaks));
        }
    }

    private LoadStep() {
    }

    static Load track(DecisionInput in, HoltForecast previousForecast, Map<String, PeerPeak> previousPeaks,
            LocalSessions own) {
        return new Load(own, forecast(in, previousForecast, own), peerPeaks(in, previousPeaks));
    }

    /** One forecast sample per forecast interval (and never more than one per heartbeat interval). */
    private static HoltForecast forecast(DecisionInput in, HoltForecast f, LocalSessions own) {
        Long y = own.known();
        if (y == null) {
            // an interval without a reading (the table was unreachable) is no evidence of zero sessions
            return f;
        }
        Instant now = in.now();
        if (f == null) {
            return HoltForecast.start(now, y);
        }
        Duration sampling = in.policy().heartbeatInterval();
        Duration every = in.settings().forecastSampling().compareTo(sampling) > 0 ? in.settings().forecastSampling()
                : sampling;
        return now.isBefore(f.at().plus(every)) ? f : f.update(now, y);
    }

    /** A peer without a reading keeps its peak; regions no longer in the spec are forgotten. */
    private static Map<String, PeerPeak> peerPeaks(DecisionInput in, Map<String, PeerPeak> previous) {
        Map<String, PeerPeak> peaks = new LinkedHashMap<>();
        for (String r : in.policy().regions().keySet()) {
            if (r.equals(in.local())) {
                continue;
            }
            RegionObservation ro = in.observed(r);
            PeerPeak before = previous.get(r);
            if (ro == null || ro.activeSessions() == null) {
                if (before != null) {
                    peaks.put(r, before);
                }
                continue;
            }
            long reported = Math.max(0, ro.activeSessions());
            peaks.put(r, before == null ? new PeerPeak(reported, in.now())
                    : before.next(reported, in.now(), in.settings().scaleDownStabilization()));
        }
        return peaks;
    }
}
