package dev.lifeline.media.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt n waits a uniform random time in
 * [0, min(cap, base * 2^n)]. Full jitter spreads a crowd of clients that lost the same relay at
 * the same instant, so they do not hit signaling in synchronized waves.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = random;
    }

    /** Upper bound of the wait before retry number {@code attempt} (0-based). */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt, 0), 30);
        long exponential = baseMillis << shift;
        return exponential <= 0 ? capMillis : Math.min(capMillis, exponential);
    }

    public long delayMillis(int attempt) {
        return random.nextLong(ceilingMillis(attempt) + 1);
    }
}
