package dev.lifeline.operator.policy;

/**
 * {@code controller.kubernetes.io/pod-deletion-cost} from a pod's live session count, so that a scale-down removes the
 * emptiest pods first (the ReplicaSet controller deletes lower costs first).
 *
 * <p>The cost is the session count in buckets of {@code quantum} sessions, which keeps the ranking (more sessions,
 * never a lower cost) while sessions come and go; and an existing annotation is only rewritten once it is two buckets off, so a count
 * wobbling around a bucket edge does not write the pod every tick (no writes in steady state).
 */
public final class DeletionCost {

    private DeletionCost() {
    }

    /** Bucket size for a media server carrying {@code sessionsPerReplica} at full load: 5 % of it, at least 1. */
    public static long quantum(int sessionsPerReplica) {
        return Math.max(1, sessionsPerReplica / 20);
    }

    public static int cost(long sessions, long quantum) {
        long q = Math.max(1, quantum);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, sessions) / q);
    }

    /**
     * Whether a pod annotated with {@code current} should be rewritten for {@code sessions}: when the annotation is
     * missing or negative, or more than one bucket away from the exact cost. So an annotation is off by at most one
     * bucket, and a pod with at least three buckets more sessions than another always has a higher cost.
     */
    public static boolean needsUpdate(Integer current, long sessions, long quantum) {
        if (current == null || current < 0) {
            return true;
        }
        return Math.abs((long) cost(sessions, quantum) - current) >= 2;
    }
}
