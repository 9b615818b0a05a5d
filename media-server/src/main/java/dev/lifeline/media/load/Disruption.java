package dev.lifeline.media.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A relay failed or drained at {@code atNanos} ({@link System#nanoTime()}) under the calls it
 * hosted ({@code affected}). A call is back when every participant has received media through another
 * relay after that moment ({@link AudioParticipant#mediaAgainNanos()}) and is still assigned there; its
 * time to media again is that of its slowest participant.
 */
public record Disruption(String kind, String relayId, long atNanos, List<List<AudioParticipant>> affected) {

    /** One affected call: its session and, when it is back, how long it took. */
    public record CallOutcome(String sessionId, Optional<Duration> mediaAgainAfter, List<AudioParticipant> call) {
        public boolean back() {
            return mediaAgainAfter.isPresent();
        }
    }

    public boolean allBack() {
        return outcomes().stream().allMatch(CallOutcome::back);
    }

    public List<CallOutcome> outcomes() {
        List<CallOutcome> outcomes = new ArrayList<>();
        for (List<AudioParticipant> call : affected) {
            long slowest = 0;
            boolean back = true;
            for (AudioParticipant p : call) {
                long first = p.mediaAgainNanos();
                if (first == 0 || p.assignment().relayId().equals(relayId)) {
                    back = false;
                } else {
                    slowest = Math.max(slowest, first - atNanos);
                }
            }
            outcomes.add(new CallOutcome(call.get(0).assignment().sessionId(),
                    back ? Optional.of(Duration.ofNanos(slowest)) : Optional.empty(), call));
        }
        return outcomes;
    }

    /** Calls not back (no media through another relay for every participant). */
    public List<CallOutcome> lost() {
        return outcomes().stream().filter(o -> !o.back()).toList();
    }
}
