package dev.lifeline.operator.policy;

import java.util.Objects;

/**
 * A peer whose operator is silent (its heartbeat stale for a quorum of regions) while its service is not shown down:
 * a control-plane fault, for a {@code ControlPlaneSilent} condition, a Warning Event and a metric; never a drain.
 *
 * @param region the peer
 * @param service {@link ServiceState#ALIVE} or {@link ServiceState#IN_DOUBT}
 * @param evidence the signals the service was judged by
 * @param quorumReason why the quorum finds its operator silent
 */
public record SilentControlPlane(String region, ServiceState service, ServiceEvidence evidence,
        String quorumReason) {

    public SilentControlPlane {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** The words for the condition and the Event. */
    public String describe() {
        return region + ": operator silent (" + quorumReason + "), service "
                + (service == ServiceState.ALIVE ? "alive" : "in doubt") + " (" + evidence + ")";
    }
}
