package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Immutable state of one circuit breaker.
 *
 * <p>{@link #state}, {@link #since} and {@link #halfOpenSuccesses} are persisted in the CR status
 * ({@code BreakerStatus}, see {@link BreakerStatusCodec}); {@link #window} (the samples of the sliding window while
 * closed) is deliberately not: persisting it would write the status on every sample, and a lost window only means
 * that after an operator restart the breaker needs {@code minimumSamples} fresh samples before it can open.
 */
public record BreakerState(State state, Instant since, int halfOpenSuccesses, List<Sample> window) {

    /** Breaker states, with the spelling used in the CR status. */
    public enum State {
        CLOSED("Closed"), OPEN("Open"), HALF_OPEN("HalfOpen");

        private final String statusName;

        State(String statusName) {
            this.statusName = statusName;
        }

        public String statusName() {
            return statusName;
        }

        public static State fromStatusName(String name) {
            for (State s : values()) {
                if (s.statusName.equals(name)) {
                    return s;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return statusName;
        }
    }

    /** One health observation of the component at a point in time. */
    public record Sample(Instant at, boolean good) {
        public Sample {
            Objects.requireNonNull(at, "at");
        }
    }

    public BreakerState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        if (halfOpenSuccesses < 0) {
            throw new IllegalArgumentException("halfOpenSuccesses must not be negative");
        }
        window = window == null ? List.of() : List.copyOf(window);
    }

    public static BreakerState closed(Instant since) {
        return new BreakerState(State.CLOSED, since, 0, List.of());
    }

    /** Time of the latest sample in the window, or {@code null}. */
    public Instant lastSampleAt() {
        return window.isEmpty() ? null : window.get(window.size() - 1).at();
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }
}
