package dev.lifeline.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How fast a standby replica takes the leader-election Lease over, and whether that fits inside the time the peers
 * give a region's operator heartbeat before they call it stale.
 *
 * <p>The Lease is java-operator-sdk's, kept by fabric8's {@code LeaderElector}: the leader renews it every
 * {@code retryPeriod} and gives up (the process exits) when it could not renew for {@code renewDeadline}; a standby
 * tries every {@code retryPeriod} plus up to {@link #ACQUIRE_JITTER} of it more, and takes the Lease once
 * {@code leaseDuration} has passed since its last renewal. So after a SIGKILL a standby holds the Lease at most
 * {@link #worstTakeover()} later; its first heartbeat follows after one reconcile. Timings that break client-go's
 * rules stop the start ({@link #problems()}); timings slower than the peers' window are allowed with a warning
 * ({@link #slowerThan}).
 *
 * @param leaseDuration how long a Lease not renewed still counts as held
 * @param renewDeadline how long the leader keeps trying to renew before it gives up and exits
 * @param retryPeriod how often the leader renews and a standby tries to acquire
 */
public record LeaderElectionTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /** fabric8's {@code LeaderElector.JITTER_FACTOR}: a standby waits retryPeriod × (1 + up to 1.2) between tries. */
    static final double ACQUIRE_JITTER = 1.2;

    /** The longest from the leader's last renewal to a standby holding the Lease. */
    public Duration worstTakeover() {
        return leaseDuration.plusMillis(Math.round(retryPeriod.toMillis() * (1 + ACQUIRE_JITTER)));
    }

    /**
     * What is wrong with these timings, in words naming the settings to change; empty when they are consistent. These
     * are client-go's rules: broken, two replicas could act at once or a leader would give up after one try.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!positive(retryPeriod) || !positive(renewDeadline) || !positive(leaseDuration)) {
            problems.add("lifeline.leader-election.lease-duration, renew-deadline and retry-period must all be "
                    + "positive (they are " + leaseDuration + ", " + renewDeadline + ", " + retryPeriod + ")");
            return problems;
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            problems.add("lifeline.leader-election.renew-deadline (" + renewDeadline
                    + ") must be shorter than lease-duration (" + leaseDuration + "): a leader that cannot renew must "
                    + "give up before a standby may take the Lease, or two replicas act at once");
        }
        if (retryPeriod.toMillis() * ACQUIRE_JITTER >= renewDeadline.toMillis()) {
            problems.add("lifeline.leader-election.retry-period (" + retryPeriod + ") × " + ACQUIRE_JITTER
                    + " must be shorter than renew-deadline (" + renewDeadline + "): the leader needs more than one "
                    + "try to renew before it gives up");
        }
        return problems;
    }

    /**
     * A warning when a takeover can take longer than {@code failoverBudget}: then the peers see this region's operator
     * silent during a leader change. Safe (silence alone is {@code ControlPlaneSilent}, never a drain), so a platform
     * team may choose it, e.g. for an API server too slow for short Leases; but it should know.
     *
     * @param failoverBudget how long a takeover may take before a peer could call the region stale: the default
     *        {@code spec.failover.staleAfterSeconds} minus one {@code heartbeatIntervalSeconds} (the last heartbeat
     *        can be that old when the leader dies)
     */
    public Optional<String> slowerThan(Duration failoverBudget) {
        if (problems().isEmpty() && worstTakeover().compareTo(failoverBudget) > 0) {
            return Optional.of("A standby takes the leader-election Lease up to lease-duration + " + (1 + ACQUIRE_JITTER)
                    + " × retry-period = " + worstTakeover() + " after the leader died, longer than the "
                    + failoverBudget + " the peers wait (spec.failover staleAfterSeconds minus one "
                    + "heartbeatIntervalSeconds, by default): they will report this region's control plane silent "
                    + "(never drain it) during a leader change. Shorten lifeline.leader-election.lease-duration or "
                    + "retry-period to avoid that");
        }
        return Optional.empty();
    }

    /** Fails with every problem at once, for start-up. */
    public LeaderElectionTimings requireConsistent() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Inconsistent leader-election settings: " + String.join("; ", problems));
        }
        return this;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
