package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.Sample;

/**
 * Step 1, breakers: each local component's breaker lets time pass (open → half-open) and records this decision's
 * sample, at most one per heartbeat interval (extra decisions in between add no sample).
 */
final class BreakerStep {

    private BreakerStep() {
    }

    /**
     * @param previous the breakers of the previous decision (a missing one starts closed)
     * @param lastSampleAt when each component was last sampled
     */
    static Breakers sample(DecisionInput in, Map<Component, BreakerState> previous,
            Map<Component, Instant> lastSampleAt, Samples samples) {
        Instant now = in.now();
        BreakerPolicy policy = in.policy().breaker();
        Breakers out = new Breakers(Map.of(), lastSampleAt, List.of());
        for (Component c : Component.values()) {
            BreakerState b = previous.getOrDefault(c, BreakerState.closed(now));
            CircuitBreaker.Step step = CircuitBreaker.advance(b, now, policy);
            Boolean good = samples.get(c);
            Instant last = out.lastSampleAt().get(c);
            if (good != null && (last == null || !now.isBefore(last.plus(in.policy().heartbeatInterval())))) {
                step = step.then(CircuitBreaker.record(step.state(), new Sample(now, good), policy));
                out = out.sampledAt(c, now);
            }
            out = out.after(in.local(), c, step);
        }
        return out;
    }
}
