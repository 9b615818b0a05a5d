package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;

/**
 * The pods of one component that a restart would help, each with why: crash-looping, OOM-killed and not ready, or
 * unready past the grace (a pod that is starting or warming up gets the grace first). Busy is not broken: a relay
 * unready because it is full, or draining within the drain deadline ({@link Busy}), is never picked.
 *
 * @param why pod name → reason, in the order the pods were observed
 */
record PodsNeedingRestart(Map<String, String> why) {

    PodsNeedingRestart {
        why = Collections.unmodifiableMap(new LinkedHashMap<>(why));
    }

    static PodsNeedingRestart of(ComponentObservation co, Instant now, Duration unreadyGrace) {
        return of(co, now, unreadyGrace, Duration.ZERO, Double.MAX_VALUE);
    }

    /**
     * @param drainDeadline how long a draining relay may stay unready before it counts as stuck (the reroute's drain
     *        deadline); a full or overloaded relay is never restarted for being unready
     * @param lagMillis event-loop lag above which a relay is overloaded
     */
    static PodsNeedingRestart of(ComponentObservation co, Instant now, Duration unreadyGrace, Duration drainDeadline,
            double lagMillis) {
        Map<String, String> out = new LinkedHashMap<>();
        if (co == null) {
            return new PodsNeedingRestart(out);
        }
        for (PodObservation p : co.pods()) {
            if (p.crashLooping()) {
                out.put(p.name(), "CrashLoopBackOff");
            } else if (p.oomKilled() && !p.ready()) {
                out.put(p.name(), "OOMKilled");
            } else if (busyNotBroken(p, now, drainDeadline, lagMillis)) {
                continue; // full or draining: it asks for more replicas, a restart would drop its calls
            } else if (!p.ready() && p.unreadySince() != null && !now.isBefore(p.unreadySince().plus(unreadyGrace))) {
                out.put(p.name(), "unready for " + Duration.between(p.unreadySince(), now).toSeconds() + " s");
            }
        }
        return new PodsNeedingRestart(out);
    }

    /**
     * Unready because full or overloaded (always), or because draining (until the drain deadline; after it, a stuck
     * drain).
     */
    static boolean busyNotBroken(PodObservation p, Instant now, Duration drainDeadline, double lagMillis) {
        if (p.ready()) {
            return false;
        }
        if (p.relay().overloaded(lagMillis) && p.busy() != Busy.DRAINING) {
            return true; // its event loop lags: the media-server reports itself not ready, it needs company
        }
        return switch (p.busy()) {
            case FULL -> true;
            case DRAINING -> p.unreadySince() == null
                    || now.isBefore(p.unreadySince().plus(drainDeadline));
            case NO -> false;
        };
    }

    boolean isEmpty() {
        return why.isEmpty();
    }

    List<String> names() {
        return List.copyOf(why.keySet());
    }

    /** "pod (why), pod (why)" for reasons and notes. */
    String describe() {
        List<String> parts = new ArrayList<>();
        why.forEach((name, reason) -> parts.add(name + " (" + reason + ")"));
        return String.join(", ", parts);
    }
}
