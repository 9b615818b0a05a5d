package dev.lifeline.operator.policy;

import java.time.Duration;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.HealthCheckSpec;
import dev.lifeline.operator.api.RerouteSpec;

/**
 * Reroute parameters.
 *
 * @param stepPercent share of the spec weight restored per step
 * @param drainDeadline how long a drain waits for the survivors' extra capacity
 * @param stepInterval minimum time between two DNS changes of a record that raise its weight: long enough for the
 *        previous change to reach resolvers (TTL) and for the Route 53 health check to judge the region again
 *        (interval × failure threshold). This is the hysteresis that bounds DNS changes under flapping health.
 * @param maxHoldDownDoublings after {@code k} rollbacks in a row, a restore starts only {@code stepInterval · 2^k}
 *        (k capped here) after the rollback
 */
public record ReroutePolicy(int stepPercent, Duration drainDeadline, Duration stepInterval, int maxHoldDownDoublings) {

    public static final int DEFAULT_MAX_HOLD_DOWN_DOUBLINGS = 4;

    public ReroutePolicy {
        if (stepPercent < 1 || stepPercent > 100) {
            throw new IllegalArgumentException("stepPercent must be 1..100");
        }
        if (stepInterval.isNegative() || stepInterval.isZero()) {
            throw new IllegalArgumentException("stepInterval must be positive");
        }
        if (drainDeadline.isNegative()) {
            throw new IllegalArgumentException("drainDeadline must not be negative");
        }
        if (maxHoldDownDoublings < 0 || maxHoldDownDoublings > 20) {
            throw new IllegalArgumentException("maxHoldDownDoublings must be 0..20");
        }
    }

    /** From present specs; {@link EffectivePolicy#of} supplies the defaults when they are missing. */
    public static ReroutePolicy from(RerouteSpec reroute, DnsSpec dns) {
        return from(reroute, dns.ttlSeconds, dns.healthCheck);
    }

    static ReroutePolicy from(RerouteSpec reroute, int ttlSeconds, HealthCheckSpec healthCheck) {
        long judged = (long) healthCheck.intervalSeconds * healthCheck.failureThreshold;
        long step = Math.max(1, Math.max(ttlSeconds, judged));
        return new ReroutePolicy(reroute.stepPercent, Duration.ofSeconds(reroute.drainDeadlineSeconds),
                Duration.ofSeconds(step), DEFAULT_MAX_HOLD_DOWN_DOUBLINGS);
    }

    /** Number of restore steps from 0 to the full weight. */
    public int steps() {
        return (100 + stepPercent - 1) / stepPercent;
    }

    /** Weight after restore step {@code k} (1-based) towards {@code target}: ⌈target · k · stepPercent / 100⌉, capped. */
    public int stepWeight(int target, int k) {
        long w = ((long) target * k * stepPercent + 99) / 100;
        return (int) Math.min(target, w);
    }

    /** Wait after the latest DNS change before a restore may start, given the rollbacks in a row so far. */
    public Duration holdDown(int rollbacks) {
        return stepInterval.multipliedBy(1L << Math.min(Math.max(rollbacks, 0), maxHoldDownDoublings));
    }
}
