package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * Reroute state of one region's DNS record, as intended by this operator.
 *
 * @param phase where the record is in the cycle
 * @param weight the weight this operator intends the record to have (the DNS dependent should use it)
 * @param since when the phase was entered
 * @param lastChangeAt time of the latest DNS change of the record that this operator decided or adopted, or
 *        {@code null} if none yet
 * @param step restore steps done (phase RESTORING)
 * @param rollbacks rollbacks in a row since the record was last fully restored (lengthens the hold-down)
 * @param cause why it is (being) drained, or {@code null} while serving
 */
public record RerouteState(Phase phase, int weight, Instant since, Instant lastChangeAt, int step, int rollbacks,
        DrainCause cause) {

    public RerouteState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(since, "since");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative");
        }
    }

    public static RerouteState serving(int weight, Instant since) {
        return new RerouteState(Phase.SERVING, weight, since, null, 0, 0, null);
    }
}
