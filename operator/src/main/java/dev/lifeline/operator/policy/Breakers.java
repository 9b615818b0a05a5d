package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.State;
import dev.lifeline.operator.policy.Decision.Execution;

/**
 * The local breakers at one point of a decision, with the transitions that led there. Immutable: a step that
 * changes a breaker (the restart step forcing one open) returns a new value through {@link #after}.
 *
 * @param states the breaker of every component
 * @param lastSampleAt when each component was last sampled (one sample per heartbeat interval)
 * @param transitions the breaker transitions of this decision so far, in order, as {@code RECORD} decisions
 */
record Breakers(Map<Component, BreakerState> states, Map<Component, Instant> lastSampleAt,
        List<Decision> transitions) {

    Breakers {
        states = Collections.unmodifiableMap(copy(states));
        lastSampleAt = Collections.unmodifiableMap(copy(lastSampleAt));
        transitions = List.copyOf(transitions);
    }

    private static <V> EnumMap<Component, V> copy(Map<Component, V> m) {
        EnumMap<Component, V> out = new EnumMap<>(Component.class);
        out.putAll(m);
        return out;
    }

    /** These breakers with {@code c}'s moved by {@code step}, whose transitions are recorded after the earlier ones. */
    Breakers after(String region, Component c, CircuitBreaker.Step step) {
        Map<Component, BreakerState> next = copy(states);
        next.put(c, step.state());
        List<Decision> all = new ArrayList<>(transitions);
        for (CircuitBreaker.Transition t : step.transitions()) {
            all.add(new Decision(new Action.BreakerTransition(region, c, t.from(), t.to()),
                    c + " breaker of " + region + " " + t.from() + " → " + t.to() + ": " + t.reason(),
                    Execution.RECORD));
        }
        return new Breakers(next, lastSampleAt, all);
    }

    /** These breakers with {@code c} sampled at {@code at}. */
    Breakers sampledAt(Component c, Instant at) {
        Map<Component, Instant> next = copy(lastSampleAt);
        next.put(c, at);
        return new Breakers(states, next, transitions);
    }

    BreakerState of(Component c) {
        return states.get(c);
    }

    boolean any(State s) {
        return states.values().stream().anyMatch(b -> b.state() == s);
    }
}
