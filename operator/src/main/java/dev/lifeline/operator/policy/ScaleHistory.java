package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trailing window of replica recommendations, for scale-down stabilization: scale down only to the highest
 * recommendation of the window, and only once the window has been observed in full (so an operator restart, which
 * forgets this history, cannot cause an early scale-down).
 *
 * @param entries change points (time, replicas), oldest first; each holds until the next one
 * @param trackingSince when this history started
 */
public record ScaleHistory(List<Entry> entries, Instant trackingSince) {

    public record Entry(Instant at, int replicas) {
    }

    public ScaleHistory {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    public static ScaleHistory start(Instant now) {
        return new ScaleHistory(List.of(), now);
    }

    public ScaleHistory add(Instant now, int replicas, Duration window) {
        List<Entry> kept = new ArrayList<>();
        Instant start = now.minus(window);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Instant until = i + 1 < entries.size() ? entries.get(i + 1).at() : now;
            if (until.isAfter(start) || !until.isBefore(now)) {
                kept.add(e);
            }
        }
        if (kept.isEmpty() || kept.get(kept.size() - 1).replicas() != replicas) {
            kept.add(new Entry(now, replicas));
        }
        return new ScaleHistory(kept, trackingSince);
    }

    /** Whether a whole window has been observed. */
    public boolean covers(Instant now, Duration window) {
        return !trackingSince.plus(window).isAfter(now);
    }

    /** Highest recommendation in force at any time of the trailing window; -1 if none. */
    public int stabilized(Instant now, Duration window) {
        Instant start = now.minus(window);
        int max = -1;
        for (int i = 0; i < entries.size(); i++) {
            Instant until = i + 1 < entries.size() ? entries.get(i + 1).at() : now;
            if (until.isAfter(start) || i == entries.size() - 1) {
                max = Math.max(max, entries.get(i).replicas());
            }
        }
        return max;
    }
}
