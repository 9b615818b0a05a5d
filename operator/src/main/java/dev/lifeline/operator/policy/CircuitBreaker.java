package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.lifeline.operator.policy.BreakerState.Sample;
import dev.lifeline.operator.policy.BreakerState.State;

/**
 * The circuit breaker of one (region, component), as pure functions over an immutable {@link BreakerState}.
 *
 * <ul>
 *   <li>closed → open when, over the last {@code slidingWindow}, at least {@code minimumSamples} samples were taken
 *       and the share of bad ones is ≥ {@code failureRateThreshold} percent;</li>
 *   <li>open → half-open once {@code openDuration} has passed since it opened (evaluated lazily whenever time is
 *       presented to the breaker);</li>
 *   <li>half-open → closed after {@code halfOpenProbes} consecutive good samples (probes); one bad probe opens it
 *       again;</li>
 *   <li>any state → open on {@link #forceOpen} (an exhausted restart budget).</li>
 * </ul>
 * Entering closed clears the window (as resilience4j does on a transition), so a freshly closed breaker needs
 * {@code minimumSamples} new samples before it can open again — part of the hysteresis that keeps DNS from flapping.
 *
 * <p><b>Why not resilience4j's {@code CircuitBreaker}?</b> (checked against 2.4.0, which the project manages.) Its
 * clock is injectable ({@code CircuitBreakerConfig.Builder.clock}) and an open state can be recreated with
 * {@code transitionToOpenStateUntil(Instant)}, but the rest does not fit a state machine that lives in the CR status:
 * <ul>
 *   <li>half-open progress cannot be restored — there is no way to say "half-open with 2 good probes", so a leader
 *       change would restart the probing;</li>
 *   <li>half-open judges a failure <em>rate</em> over {@code permittedNumberOfCallsInHalfOpenState} calls, so with
 *       the default 50 % threshold one bad probe out of three closes it; Lifeline's contract is "N good probes in a
 *       row close it, one bad probe reopens it";</li>
 *   <li>it is a mutable object with internal metrics and event publishers, built to guard calls
 *       ({@code acquirePermission}/{@code onResult}); the engine needs a value in, a value out, and equal outputs
 *       for equal inputs.</li>
 * </ul>
 * So this small pure state machine is written out here; everything it does is covered by unit and property tests.
 */
public final class CircuitBreaker {

    /** A state change, for Events, history and metrics. */
    public record Transition(State from, State to, Instant at, String reason) {
    }

    /** The new state and the transitions that led to it (possibly several, e.g. open → half-open → open). */
    public record Step(BreakerState state, List<Transition> transitions) {
        public Step {
            transitions = List.copyOf(transitions);
        }

        public Step then(Step next) {
            List<Transition> all = new ArrayList<>(transitions);
            all.addAll(next.transitions);
            return new Step(next.state, all);
        }
    }

    private CircuitBreaker() {
    }

    /** Lets time pass: an open breaker whose open duration is over becomes half-open. */
    public static Step advance(BreakerState s, Instant now, BreakerPolicy p) {
        if (s.state() == State.OPEN) {
            Instant halfOpenAt = s.since().plus(p.openDuration());
            if (!now.isBefore(halfOpenAt)) {
                BreakerState next = new BreakerState(State.HALF_OPEN, halfOpenAt, 0, List.of());
                return new Step(next, List.of(new Transition(State.OPEN, State.HALF_OPEN, halfOpenAt,
                        "open for " + p.openDuration().toSeconds() + " s; letting probes through")));
            }
        }
        return new Step(s, List.of());
    }

    /** Records one sample taken at {@code sample.at()} (first letting time pass up to it). */
    public static Step record(BreakerState s, Sample sample, BreakerPolicy p) {
        Step advanced = advance(s, sample.at(), p);
        BreakerState cur = advanced.state();
        Instant at = sample.at();
        return switch (cur.state()) {
            case OPEN -> advanced; // no traffic is judged while open
            case HALF_OPEN -> advanced.then(probe(cur, sample, p));
            case CLOSED -> advanced.then(closedSample(cur, sample, p, at));
        };
    }

    private static Step probe(BreakerState cur, Sample sample, BreakerPolicy p) {
        if (!sample.good()) {
            return new Step(new BreakerState(State.OPEN, sample.at(), 0, List.of()),
                    List.of(new Transition(State.HALF_OPEN, State.OPEN, sample.at(),
                            "probe failed after " + cur.halfOpenSuccesses() + " good probe(s); open again for "
                                    + p.openDuration().toSeconds() + " s")));
        }
        int good = cur.halfOpenSuccesses() + 1;
        if (good >= p.halfOpenProbes()) {
            return new Step(BreakerState.closed(sample.at()),
                    List.of(new Transition(State.HALF_OPEN, State.CLOSED, sample.at(),
                            good + " consecutive good probe(s)")));
        }
        return new Step(new BreakerState(State.HALF_OPEN, cur.since(), good, List.of()), List.of());
    }

    private static Step closedSample(BreakerState cur, Sample sample, BreakerPolicy p, Instant at) {
        Instant windowStart = at.minus(p.slidingWindow());
        List<Sample> window = new ArrayList<>(cur.window().size() + 1);
        for (Sample old : cur.window()) {
            if (old.at().isAfter(windowStart) && !old.at().isAfter(at)) {
                window.add(old);
            }
        }
        window.add(sample);
        int bad = 0;
        for (Sample x : window) {
            if (!x.good()) {
                bad++;
            }
        }
        int n = window.size();
        if (n >= p.minimumSamples() && (long) bad * 100 >= (long) p.failureRateThreshold() * n) {
            return new Step(new BreakerState(State.OPEN, at, 0, List.of()),
                    List.of(new Transition(State.CLOSED, State.OPEN, at,
                            "failure rate " + (bad * 100 / n) + "% (" + bad + " of " + n + " samples in the last "
                                    + p.slidingWindow().toSeconds() + " s) reached the threshold of "
                                    + p.failureRateThreshold() + "%")));
        }
        return new Step(new BreakerState(State.CLOSED, cur.since(), 0, window), List.of());
    }

    /** Opens the breaker now (e.g. the restart budget is spent); no-op if it is already open. */
    public static Step forceOpen(BreakerState s, Instant now, String reason) {
        if (s.state() == State.OPEN) {
            return new Step(s, List.of());
        }
        return new Step(new BreakerState(State.OPEN, now, 0, List.of()),
                List.of(new Transition(s.state(), State.OPEN, now, reason)));
    }

    /** Failure rate in percent over the current window, or -1 while it holds no samples. */
    public static int failureRatePercent(BreakerState s, Instant now, Duration slidingWindow) {
        Instant start = now.minus(slidingWindow);
        int n = 0;
        int bad = 0;
        for (Sample x : s.window()) {
            if (x.at().isAfter(start)) {
                n++;
                if (!x.good()) {
                    bad++;
                }
            }
        }
        return n == 0 ? -1 : bad * 100 / n;
    }
}
