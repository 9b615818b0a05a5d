package dev.lifeline.operator.aws.table;

import java.util.List;

/** The next replica change of the global table, decided by {@link ReplicaPlan}. */
public sealed interface ReplicaStep {

    /** Every wanted replica is ACTIVE; {@code retained} are replicas of removed regions kept by deletionPolicy Retain. */
    record InSync(List<String> retained) implements ReplicaStep {
        public InSync {
            retained = List.copyOf(retained);
        }
    }

    /** A change is in flight; AWS allows one at a time, so wait for it. */
    record Wait(String why) implements ReplicaStep {
    }

    record Create(String region) implements ReplicaStep {
    }

    record Delete(String region) implements ReplicaStep {
    }
}
