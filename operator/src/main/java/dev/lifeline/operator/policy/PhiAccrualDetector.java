package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The phi-accrual failure detector (Hayashibara, Défago, Yared, Katayama, 2004) over the arrivals of one peer's
 * heartbeats as this process observes them. Instead of a yes/no "stale after N seconds", it gives the suspicion
 * {@code phi = -log10(P(a heartbeat arrives later than now))}, from the mean and standard deviation of the last
 * inter-arrival intervals: phi 8 means that, had the peer been alive, a silence this long happens once in 10^8.
 * It adapts to the network: jittered arrivals widen the deviation and push suspicion later; regular ones let it come
 * early. The normal distribution's tail is the logistic approximation Akka's detector uses.
 *
 * <p>Immutable and pure: {@link #heartbeat} returns a new detector. A detector that has seen no arrival yet (a fresh
 * process) gives no phi at all ({@link #phi} empty): a verdict is never drawn from an empty history, and the caller
 * falls back to its stale-after rule. The first arrivals are judged against the expected interval (the configured
 * heartbeat interval, with a quarter of it as deviation), as Akka bootstraps; real intervals replace it as they come.
 * An interval longer than {@code maxInterval} is an outage, not a sample of the network's jitter, and is left out of
 * the history, as Cassandra's detector does: otherwise one outage (a region cut off for 20 s, then back) would widen
 * the deviation so much that the next one went unsuspected for as long.
 */
public final class PhiAccrualDetector {

    /** Intervals kept: about a minute of history at 500 ms. */
    public static final int WINDOW = 100;

    private final Duration expectedInterval;
    private final Duration minStdDeviation;
    private final Duration maxInterval;
    private final Instant lastArrival;
    private final long[] intervalsMillis;

    private PhiAccrualDetector(Duration expectedInterval, Duration minStdDeviation, Duration maxInterval,
            Instant lastArrival, long[] intervalsMillis) {
        this.expectedInterval = expectedInterval;
        this.minStdDeviation = minStdDeviation;
        this.maxInterval = maxInterval;
        this.lastArrival = lastArrival;
        this.intervalsMillis = intervalsMillis;
    }

    /**
     * A detector with no history.
     *
     * @param expectedInterval the peer's heartbeat interval, the bootstrap estimate
     * @param minStdDeviation the deviation never assumed smaller than this (a perfectly regular history would
     *        otherwise suspect a peer a few milliseconds late)
     * @param maxInterval intervals longer than this are outages, left out of the history
     */
    public static PhiAccrualDetector start(Duration expectedInterval, Duration minStdDeviation, Duration maxInterval) {
        if (expectedInterval.isNegative() || expectedInterval.isZero()) {
            throw new IllegalArgumentException("expected interval must be positive: " + expectedInterval);
        }
        Objects.requireNonNull(minStdDeviation, "minStdDeviation");
        if (maxInterval.compareTo(expectedInterval) < 0) {
            throw new IllegalArgumentException("max interval " + maxInterval + " is below the expected one "
                    + expectedInterval);
        }
        long expected = expectedInterval.toMillis();
        long deviation = Math.max(1, expected / 4);
        // Akka's bootstrap: two intervals one deviation either side of the expected one.
        return new PhiAccrualDetector(expectedInterval, minStdDeviation, maxInterval, null,
                new long[] { expected - deviation, expected + deviation });
    }

    /** The detector after a heartbeat arrived at {@code at}; an arrival earlier than the last one is ignored. */
    public PhiAccrualDetector heartbeat(Instant at) {
        Objects.requireNonNull(at, "at");
        if (lastArrival == null) {
            return new PhiAccrualDetector(expectedInterval, minStdDeviation, maxInterval, at, intervalsMillis);
        }
        if (at.isBefore(lastArrival)) {
            return this;
        }
        long interval = Duration.between(lastArrival, at).toMillis();
        if (interval > maxInterval.toMillis()) {
            return new PhiAccrualDetector(expectedInterval, minStdDeviation, maxInterval, at, intervalsMillis);
        }
        long[] next;
        if (intervalsMillis.length < WINDOW) {
            next = Arrays.copyOf(intervalsMillis, intervalsMillis.length + 1);
        } else {
            next = Arrays.copyOfRange(intervalsMillis, 1, WINDOW + 1);
        }
        next[next.length - 1] = interval;
        return new PhiAccrualDetector(expectedInterval, minStdDeviation, maxInterval, at, next);
    }

    /** When the last heartbeat arrived; empty before the first. */
    public Optional<Instant> lastArrival() {
        return Optional.ofNullable(lastArrival);
    }

    /** Mean inter-arrival interval of the history, in milliseconds. */
    public double meanMillis() {
        double sum = 0;
        for (long i : intervalsMillis) {
            sum += i;
        }
        return sum / intervalsMillis.length;
    }

    /** Standard deviation of the history, at least the minimum, in milliseconds. */
    public double stdDeviationMillis() {
        double mean = meanMillis();
        double squares = 0;
        for (long i : intervalsMillis) {
            squares += (i - mean) * (i - mean);
        }
        return Math.max(Math.sqrt(squares / intervalsMillis.length), Math.max(1, minStdDeviation.toMillis()));
    }

    /** The suspicion at {@code now}; empty while no heartbeat has arrived (no verdict from an empty history). */
    public Optional<Double> phi(Instant now) {
        if (lastArrival == null) {
            return Optional.empty();
        }
        double silence = Math.max(0, Duration.between(lastArrival, now).toMillis());
        return Optional.of(phi(silence, meanMillis(), stdDeviationMillis()));
    }

    /** Whether phi has reached {@code threshold} at {@code now}; never before the first arrival. */
    public boolean suspects(Instant now, double threshold) {
        return phi(now).map(p -> p >= threshold).orElse(false);
    }

    /**
     * The instant phi reaches {@code threshold} if no heartbeat arrives before, for scheduling the next look; empty
     * before the first arrival. Found by bisection on the (monotone) phi.
     */
    public Optional<Instant> suspectedAt(double threshold) {
        if (lastArrival == null) {
            return Optional.empty();
        }
        double mean = meanMillis();
        double sd = stdDeviationMillis();
        double low = 0;
        double high = mean + 40 * sd;
        for (int i = 0; i < 40; i++) {
            double mid = (low + high) / 2;
            if (phi(mid, mean, sd) >= threshold) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return Optional.of(lastArrival.plusMillis((long) Math.ceil(high)));
    }

    /**
     * -log10 of the probability that a heartbeat comes later than {@code silenceMillis}, the normal tail by the
     * logistic approximation (as Akka); capped where double precision runs out.
     */
    static double phi(double silenceMillis, double meanMillis, double stdDeviationMillis) {
        double y = (silenceMillis - meanMillis) / stdDeviationMillis;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        if (silenceMillis > meanMillis) {
            if (e == 0) {
                // exp underflowed: the tail is below 1e-300; phi keeps growing with y instead of saturating.
                return y * (1.5976 + 0.070566 * y * y) / Math.log(10);
            }
            return -Math.log10(e / (1.0 + e));
        }
        return -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "phi-accrual(mean %.0f ms, sd %.0f ms, %d intervals, last %s)",
                meanMillis(), stdDeviationMillis(), intervalsMillis.length, lastArrival);
    }
}
