package dev.lifeline.test.harness;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated kubelet (kwok, with the stages in {@code kwok/stages.yaml}) reports for the
 * pods of a {@link FaultInjection}. The harness only labels pods; the status, restart counts
 * and events are written by kwok, as a kubelet would write them.
 *
 * @param kind           crash loop or failing readiness
 * @param crashInterval  for {@link Kind#CRASH_LOOP}: time between two crashes of a container (the
 *                       kubelet's back-off, 10 s doubling to 5 min, compressed to a fixed interval)
 * @param includeNewPods true: pods created while the fault is active get it too (a bad dependency:
 *                       deleting or restarting pods does not help); false: only the pods that
 *                       exist now (a stuck process: a new pod is healthy)
 */
public record PodFault(Kind kind, Duration crashInterval, boolean includeNewPods) {

    /** Label the stages key on; its value is {@link Kind#labelValue()}. */
    public static final String LABEL = "sim.lifeline.dev/fault";
    /** Annotation with the crash interval, as a Go duration ("2s", "1500ms"). */
    public static final String CRASH_INTERVAL_ANNOTATION = "sim.lifeline.dev/crash-interval";

    public enum Kind {
        /** Containers exit with code 1 once per interval: CrashLoopBackOff, restartCount grows, not Ready. */
        CRASH_LOOP("crash-loop"),
        /** Containers keep running but fail their readiness probe: Ready False, restartCount unchanged. */
        UNREADY("unready");

        private final String labelValue;

        Kind(String labelValue) {
            this.labelValue = labelValue;
        }

        public String labelValue() {
            return labelValue;
        }
    }

    public PodFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(crashInterval, "crashInterval");
        if (crashInterval.toMillis() < 100) {
            throw new IllegalArgumentException("crashInterval must be at least 100 ms: " + crashInterval);
        }
    }

    /** Crash loop of existing and new pods, one crash per container every 2 s. */
    public static PodFault crashLoop() {
        return new PodFault(Kind.CRASH_LOOP, Duration.ofSeconds(2), true);
    }

    /** Failing readiness of existing and new pods. */
    public static PodFault unready() {
        return new PodFault(Kind.UNREADY, Duration.ofSeconds(2), true);
    }

    public PodFault every(Duration interval) {
        return new PodFault(kind, interval, includeNewPods);
    }

    public PodFault existingPodsOnly() {
        return new PodFault(kind, crashInterval, false);
    }

    String crashIntervalValue() {
        return crashInterval.toMillis() + "ms";
    }
}
