package dev.lifeline.operator.policy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.State;

/**
 * Maps breaker state to and from the CR status ({@code status.regions[].breakers[]}), so that an operator restart or a
 * leader change continues with the same breaker states. Reading is lenient: an unknown or missing state reads as
 * closed, a missing or unparsable {@code since} as {@code now} — a damaged status must never crash the reconciler.
 */
public final class BreakerStatusCodec {

    private BreakerStatusCodec() {
    }

    public static BreakerStatus toStatus(Component component, BreakerState s) {
        BreakerStatus b = new BreakerStatus();
        b.component = component.statusName();
        b.state = s.state().statusName();
        b.since = s.since().toString();
        b.halfOpenSuccesses = s.state() == State.HALF_OPEN ? s.halfOpenSuccesses() : null;
        return b;
    }

    public static List<BreakerStatus> toStatus(Map<Component, BreakerState> breakers) {
        List<BreakerStatus> out = new ArrayList<>();
        for (Component c : Component.values()) {
            BreakerState s = breakers.get(c);
            if (s != null) {
                out.add(toStatus(c, s));
            }
        }
        return out;
    }

    /** Reads the persisted breakers; components without an entry are absent from the map (they start closed). */
    public static Map<Component, BreakerState> fromStatus(List<BreakerStatus> statuses, Instant now) {
        Map<Component, BreakerState> out = new EnumMap<>(Component.class);
        if (statuses == null) {
            return out;
        }
        for (BreakerStatus b : statuses) {
            if (b == null) {
                continue;
            }
            Component c = Component.fromStatusName(b.component);
            if (c == null) {
                continue;
            }
            State state = b.state == null ? null : State.fromStatusName(b.state);
            Instant since = parse(b.since, now);
            if (state == null) {
                out.put(c, BreakerState.closed(now));
            } else {
                int good = state == State.HALF_OPEN && b.halfOpenSuccesses != null ? Math.max(0, b.halfOpenSuccesses) : 0;
                out.put(c, new BreakerState(state, since, good, List.of()));
            }
        }
        return out;
    }

    private static Instant parse(String s, Instant fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return fallback;
            }
        }
    }
}
