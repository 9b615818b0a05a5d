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
 * unready past the grace (a pod that is starting or warming up gets the grace first).
 *
 * @param why pod name → reason, in the order the pods were observed
 */
record PodsNeedingRestart(Map<String, String> why) {

    PodsNeedingRestart {
        why = Collections.unmodifiableMap(new LinkedHashMap<>(why));
    }

    static PodsNeedingRestart of(ComponentObservation co, Instant now, Duration unreadyGrace) {
        Map<String, String> out = new LinkedHashMap<>();
        if (co == null) {
            return new PodsNeedingRestart(out);
        }
        for (PodObservation p : co.pods()) {
            if (p.crashLooping()) {
                out.put(p.name(), "CrashLoopBackOff");
            } else if (p.oomKilled() && !p.ready()) {
                out.put(p.name(), "OOMKilled");
            } else if (!p.ready() && p.unreadySince() != null && !now.isBefore(p.unreadySince().plus(unreadyGrace))) {
                out.put(p.name(), "unready for " + Duration.between(p.unreadySince(), now).toSeconds() + " s");
            }
        }
        return new PodsNeedingRestart(out);
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
